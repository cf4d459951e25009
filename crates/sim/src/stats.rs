//! Counters of create requests by sender, recipient and (recipient, body), so tests can see
//! whether a client sent the same message twice.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

/// Create requests as they arrived, whatever the answer (faults and rejections included).
#[derive(Debug, Default)]
pub(crate) struct CreateStats {
    by_from: HashMap<String, usize>,
    by_to: HashMap<String, usize>,
    by_to_body: HashMap<(String, String), usize>,
}

/// One (recipient, body) pair and how often it was requested.
#[derive(Debug, Serialize)]
pub(crate) struct ToBodyCount {
    pub to: String,
    pub body: String,
    pub count: usize,
}

impl CreateStats {
    /// Counts one request; absent parameters are not counted under any key.
    pub fn record(&mut self, from: Option<&str>, to: Option<&str>, body: Option<&str>) {
        if let Some(from) = from {
            *self.by_from.entry(from.to_owned()).or_default() += 1;
        }
        if let Some(to) = to {
            *self.by_to.entry(to.to_owned()).or_default() += 1;
            let body = body.unwrap_or_default().to_owned();
            *self.by_to_body.entry((to.to_owned(), body)).or_default() += 1;
        }
    }

    pub fn from(&self, from: &str) -> usize {
        self.by_from.get(from).copied().unwrap_or(0)
    }

    pub fn to(&self, to: &str) -> usize {
        self.by_to.get(to).copied().unwrap_or(0)
    }

    pub fn to_with_body(&self, to: &str, body: &str) -> usize {
        self.by_to_body
            .get(&(to.to_owned(), body.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    pub fn by_from(&self) -> BTreeMap<String, usize> {
        self.by_from.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }

    pub fn by_to(&self) -> BTreeMap<String, usize> {
        self.by_to.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }

    /// Most requested first, then by recipient and body, so the order is stable.
    pub fn by_to_body(&self) -> Vec<ToBodyCount> {
        let mut pairs: Vec<ToBodyCount> = self
            .by_to_body
            .iter()
            .map(|((to, body), count)| ToBodyCount {
                to: to.clone(),
                body: body.clone(),
                count: *count,
            })
            .collect();
        pairs.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.to.cmp(&b.to))
                .then_with(|| a.body.cmp(&b.body))
        });
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_key() {
        let mut s = CreateStats::default();
        s.record(Some("+1"), Some("+2"), Some("hi"));
        s.record(Some("+1"), Some("+2"), Some("hi"));
        s.record(Some("+1"), Some("+3"), None);
        s.record(None, None, Some("lost"));
        assert_eq!(s.from("+1"), 3);
        assert_eq!(s.to("+2"), 2);
        assert_eq!(s.to_with_body("+2", "hi"), 2);
        assert_eq!(s.to_with_body("+3", ""), 1);
        assert_eq!(s.to("+9"), 0);
        let pairs = s.by_to_body();
        assert_eq!(pairs.len(), 2);
        assert_eq!((pairs[0].to.as_str(), pairs[0].count), ("+2", 2));
    }
}
