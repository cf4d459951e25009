//! North America (the US and Canada): the time zone of each geographic area code. Where an area
//! code spans two or more zones with many people in each, every one is listed; slivers (a few
//! counties) are left out so that most evenings don't ask for a confirmation they don't need.
//! Non-geographic codes (toll-free, 5XX, 600…) have no place and are absent.

const EASTERN: &str = "America/New_York";
const CENTRAL: &str = "America/Chicago";
const MOUNTAIN: &str = "America/Denver";
const ARIZONA: &str = "America/Phoenix";
const PACIFIC: &str = "America/Los_Angeles";
const ALASKA: &str = "America/Anchorage";
const HAWAII: &str = "Pacific/Honolulu";
const CA_EASTERN: &str = "America/Toronto";
const CA_CENTRAL: &str = "America/Winnipeg";
const CA_MOUNTAIN: &str = "America/Edmonton";
const CA_PACIFIC: &str = "America/Vancouver";
const SASKATCHEWAN: &str = "America/Regina";
const ATLANTIC: &str = "America/Halifax";
const NEWFOUNDLAND: &str = "America/St_Johns";
const YUKON: &str = "America/Whitehorse";

/// Area codes in one zone, by zone.
const SINGLE: &[(&str, &[u16])] = &[
    (
        EASTERN,
        &[
            // Connecticut, Delaware, DC, Maine, Maryland, Massachusetts
            203, 475, 860, 959, 302, 202, 771, 207, 227, 240, 301, 410, 443, 667, 339, 351, 413,
            508, 617, 774, 781, 857, 978, // Florida (all but the panhandle)
            239, 305, 321, 324, 352, 386, 407, 561, 645, 656, 689, 727, 728, 754, 772, 786, 813,
            863, 904, 941, 954, // Georgia
            229, 404, 470, 478, 678, 706, 762, 770, 912,
            943, // Indiana (most), Kentucky (east)
            260, 317, 463, 574, 765, 502, 606, 859, // Michigan (lower peninsula)
            231, 248, 269, 313, 517, 586, 616, 679, 734, 810, 947, 989,
            // New Hampshire, New Jersey
            603, 201, 551, 609, 640, 732, 848, 856, 862, 908, 973, // New York
            212, 315, 329, 332, 347, 363, 516, 518, 585, 607, 624, 631, 646, 680, 716, 718, 838,
            845, 914, 917, 929, 934, // North Carolina
            252, 336, 472, 704, 743, 828, 910, 919, 980, 984, // Ohio
            216, 220, 234, 283, 326, 330, 380, 419, 436, 440, 513, 567, 614, 740, 937,
            // Pennsylvania
            215, 223, 267, 272, 412, 445, 484, 570, 582, 610, 717, 724, 814, 835, 878,
            // Rhode Island, South Carolina, Tennessee (east), Vermont
            401, 803, 821, 839, 843, 854, 864, 423, 865, 802, // Virginia, West Virginia
            276, 434, 540, 571, 686, 703, 757, 804, 826, 948, 304, 681,
        ],
    ),
    (
        CENTRAL,
        &[
            // Alabama, Arkansas
            205, 251, 256, 334, 483, 659, 938, 327, 479, 501, 870, // Illinois
            217, 224, 309, 312, 331, 447, 464, 618, 630, 708, 730, 773, 779, 815, 847, 861, 872,
            // Indiana (northwest), Iowa
            219, 319, 515, 563, 641, 712, // Kansas
            316, 620, 785, 913, // Louisiana
            225, 318, 337, 457, 504, 985, // Minnesota
            218, 320, 507, 612, 651, 763, 952, // Mississippi
            228, 601, 662, 769, // Missouri
            235, 314, 417, 557, 573, 636, 660, 816, 975, // Nebraska (east), Oklahoma
            402, 531, 405, 539, 572, 580, 918, // Tennessee (middle and west)
            615, 629, 731, 901, // Texas (all but El Paso)
            210, 214, 254, 281, 325, 346, 361, 409, 430, 432, 469, 512, 682, 713, 726, 737, 806,
            817, 830, 832, 903, 936, 940, 945, 956, 972, 979, // Wisconsin
            262, 274, 353, 414, 534, 608, 715, 920,
        ],
    ),
    (
        MOUNTAIN,
        &[
            // Colorado, Montana, New Mexico, Utah, Wyoming, Texas (El Paso)
            303, 719, 720, 748, 970, 983, 406, 505, 575, 385, 435, 801, 307, 915,
        ],
    ),
    (ARIZONA, &[480, 520, 602, 623, 928]),
    (
        PACIFIC,
        &[
            // California
            209, 213, 279, 310, 323, 341, 350, 357, 369, 408, 415, 424, 442, 510, 530, 559, 562,
            619, 626, 628, 650, 657, 661, 669, 707, 714, 738, 747, 760, 805, 818, 820, 831, 837,
            840, 858, 909, 916, 925, 949, 951, // Nevada, Oregon, Washington
            702, 725, 775, 458, 503, 541, 971, 206, 253, 360, 425, 509, 564,
        ],
    ),
    (ALASKA, &[907]),
    (HAWAII, &[808]),
    (
        CA_EASTERN,
        &[
            // Ontario (all but the northwest), Quebec
            226, 249, 289, 343, 365, 382, 416, 437, 519, 548, 613, 647, 683, 705, 742, 753, 905,
            942, 263, 273, 354, 367, 418, 438, 450, 468, 514, 579, 581, 819, 873,
        ],
    ),
    (CA_CENTRAL, &[204, 431, 584]),
    (SASKATCHEWAN, &[306, 474, 639]),
    (CA_MOUNTAIN, &[368, 403, 587, 780, 825]),
    (CA_PACIFIC, &[236, 250, 257, 604, 672, 778]),
    (ATLANTIC, &[428, 506, 782, 902]),
    (NEWFOUNDLAND, &[709, 879]),
];

/// Area codes that span zones, with each zone.
const SPLIT: &[(u16, &[&str])] = &[
    // Florida panhandle: Tallahassee Eastern, Pensacola and Panama City Central.
    (850, &[EASTERN, CENTRAL]),
    (448, &[EASTERN, CENTRAL]),
    // Western Kentucky, middle Tennessee's plateau, southern Indiana, Michigan's Upper Peninsula.
    (270, &[CENTRAL, EASTERN]),
    (364, &[CENTRAL, EASTERN]),
    (931, &[CENTRAL, EASTERN]),
    (812, &[EASTERN, CENTRAL]),
    (930, &[EASTERN, CENTRAL]),
    (906, &[EASTERN, CENTRAL]),
    // The western Dakotas and the Nebraska panhandle.
    (308, &[CENTRAL, MOUNTAIN]),
    (605, &[CENTRAL, MOUNTAIN]),
    (701, &[CENTRAL, MOUNTAIN]),
    // Idaho: Boise Mountain, the north Pacific.
    (208, &[MOUNTAIN, PACIFIC]),
    (986, &[MOUNTAIN, PACIFIC]),
    // Northwestern Ontario: Thunder Bay Eastern, Kenora Central.
    (807, &[CA_EASTERN, CA_CENTRAL]),
    // Yukon, the Northwest Territories and Nunavut.
    (867, &[YUKON, CA_MOUNTAIN, CA_CENTRAL, CA_EASTERN]),
];

/// The zones of a North American area code, or `None` for a code with no place.
pub fn zones(area_code: u16) -> Option<Vec<&'static str>> {
    if let Some((_, zones)) = SPLIT.iter().find(|(code, _)| *code == area_code) {
        return Some(zones.to_vec());
    }
    SINGLE
        .iter()
        .find(|(_, codes)| codes.contains(&area_code))
        .map(|(zone, _)| vec![*zone])
}

/// Every area code in the tables (for tests).
#[cfg(test)]
pub fn all_codes() -> Vec<u16> {
    SINGLE
        .iter()
        .flat_map(|(_, codes)| codes.iter().copied())
        .chain(SPLIT.iter().map(|(code, _)| *code))
        .collect()
}

/// Every zone named in the tables (for tests).
#[cfg(test)]
pub fn all_zones() -> Vec<&'static str> {
    SINGLE
        .iter()
        .map(|(zone, _)| *zone)
        .chain(SPLIT.iter().flat_map(|(_, zones)| zones.iter().copied()))
        .collect()
}
