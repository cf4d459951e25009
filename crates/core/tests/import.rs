//! Contact import on a real database: the report before anything is written, and only the
//! accepted, importable rows written.

mod common;

use common::*;
use switchboard_core::catalogue::NumberMark;
use switchboard_core::import::{guess_mapping, read_table, RowCheck};
use switchboard_core::store::contacts;

const FILE: &str = "Name,Phone,Pet name
Maya Chen,(312) 555-0101,Biscuit
Tom Becker,+1 312 555 0102,
Opted Out,312-555-0103,
Nobody,call me,
Maya Again,312.555.0101,Rex
Fake,+1 555 010 0003,
Landline Lee,312 555 0104,
";

#[tokio::test]
async fn a_file_with_bad_rows_gives_the_report_and_writes_only_the_accepted_rows() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    // Tom is a contact already; 0103 opted out; 0104 is a known landline.
    core.remember_contact_names(&[("+13125550102", "Tom")])
        .await
        .unwrap();
    {
        let mut tx = core.store().write().await.unwrap();
        contacts::set_mark(
            &mut tx,
            "+13125550103",
            Some((NumberMark::OptedOut, "STOP")),
        )
        .await
        .unwrap();
        contacts::set_mark(
            &mut tx,
            "+13125550104",
            Some((NumberMark::Landline, "30006")),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let (headers, _) = read_table(FILE).unwrap();
    let mapping = guess_mapping(&headers);
    let report = core.preview_import(FILE, &mapping).await.unwrap();
    let checks: Vec<(usize, &RowCheck)> = report.rows.iter().map(|r| (r.line, &r.check)).collect();
    assert_eq!(checks[0], (2, &RowCheck::New));
    assert!(matches!(checks[1], (3, RowCheck::Existing { .. })));
    assert_eq!(checks[2], (4, &RowCheck::OptedOut));
    assert!(matches!(checks[3], (5, RowCheck::Invalid { .. })));
    assert_eq!(checks[4], (6, &RowCheck::Duplicate { first_line: 2 }));
    assert!(matches!(checks[5], (7, RowCheck::Invalid { .. })));
    assert_eq!(
        checks[6],
        (
            8,
            &RowCheck::Marked {
                mark: "landline".into()
            }
        )
    );
    assert_eq!(report.rows[0].number.as_deref(), Some("+13125550101"));
    assert_eq!(
        report.rows[0].fields,
        vec![("pet_name".to_string(), "Biscuit".to_string())]
    );
    // A preview writes nothing.
    assert!(core.contacts("Maya", 10).await.unwrap().is_empty());

    // The person accepts everything but the opted-out row, and even the invalid and duplicate
    // ones: those are still not written.
    let result = core
        .import_contacts(FILE, &mapping, &[2, 3, 5, 6, 7, 8])
        .await
        .unwrap();
    assert_eq!((result.created, result.updated), (1, 2));
    let maya = core.contacts("Maya", 10).await.unwrap();
    assert_eq!(maya.len(), 1, "the duplicate row was not written");
    let details = core.contact(maya[0].id).await.unwrap();
    assert_eq!(details.name.as_deref(), Some("Maya Chen"));
    assert_eq!(
        details.fields,
        vec![("pet_name".to_string(), "Biscuit".to_string())]
    );
    assert_eq!(
        core.contacts("Tom", 10).await.unwrap()[0].name.as_deref(),
        Some("Tom Becker")
    );
    assert!(
        core.contacts("Opted", 10).await.unwrap().is_empty(),
        "not accepted"
    );
    assert!(core.contacts("Nobody", 10).await.unwrap().is_empty());
    assert!(core.contacts("Fake", 10).await.unwrap().is_empty());
    let lee = core.contacts("Landline", 10).await.unwrap();
    assert_eq!(lee[0].mark, Some(NumberMark::Landline), "the mark stays");
}

#[tokio::test]
async fn an_unreadable_file_or_mapping_is_a_clear_error() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let mapping = guess_mapping(&["phone".to_string()]);
    assert_eq!(
        core.preview_import("", &mapping).await.unwrap_err().code(),
        "invalid_field",
        "an empty file"
    );
    let wrong = switchboard_core::import::Mapping {
        number: 5,
        ..Default::default()
    };
    assert_eq!(
        core.preview_import("phone\n+13125550101\n", &wrong)
            .await
            .unwrap_err()
            .code(),
        "invalid_field"
    );
}
