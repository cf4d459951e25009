//! Contact import from CSV: read the file, map its columns, check every row (the number, a
//! duplicate in the file, an opted-out or marked number, an existing contact) and report before
//! anything is written; then write only the rows the person accepted. Invalid and duplicate
//! rows are never written, whatever is accepted.

use std::collections::HashMap;

use serde::Serialize;

use crate::catalogue::NumberMark;
use crate::error::{CoreError, Result};
use crate::store::contacts;
use crate::Services;

/// The most rows one import takes.
const MAX_ROWS: usize = 20_000;

/// Which column holds what (0-based column indexes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    /// The phone number.
    pub number: usize,
    /// The name, if a column has it.
    pub name: Option<usize>,
    /// Columns kept as the contact's own fields, with the field's name.
    pub fields: Vec<(usize, String)>,
}

/// What the check found about a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RowCheck {
    /// A new contact.
    New,
    /// A contact we have: their name and fields are updated.
    Existing {
        /// Their id.
        contact_id: i64,
    },
    /// The number is opted out: importing is allowed (names are fine), texting stays blocked.
    OptedOut,
    /// The number is marked (a landline, not in service…).
    Marked {
        /// The mark.
        mark: String,
    },
    /// Not a phone number: never imported.
    Invalid {
        /// Why.
        reason: String,
    },
    /// The number is on an earlier row: never imported.
    Duplicate {
        /// That row's line in the file.
        first_line: usize,
    },
}

impl RowCheck {
    /// Whether the row can be written at all.
    pub fn importable(&self) -> bool {
        !matches!(self, RowCheck::Invalid { .. } | RowCheck::Duplicate { .. })
    }

    /// Whether it is written unless the person unticks it (rows that need a look are not).
    pub fn accepted_by_default(&self) -> bool {
        matches!(self, RowCheck::New | RowCheck::Existing { .. })
    }
}

/// One row of the file as it would be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// Its line in the file (the header is line 1).
    pub line: usize,
    /// The number as written.
    pub number_input: String,
    /// The number in E.164, when it is one.
    pub number: Option<String>,
    /// The name, when mapped and given.
    pub name: Option<String>,
    /// Own fields (mapped, non-empty).
    pub fields: Vec<(String, String)>,
    /// What the check found.
    pub check: RowCheck,
}

/// The file's columns and every row, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// The header row.
    pub headers: Vec<String>,
    /// The rows.
    pub rows: Vec<ImportRow>,
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ImportResult {
    /// New contacts.
    pub created: u32,
    /// Contacts updated.
    pub updated: u32,
}

fn invalid(problem: String, fix: &str) -> CoreError {
    CoreError::InvalidField {
        field: "file",
        problem,
        fix: fix.to_string(),
    }
}

/// The header and rows of a CSV file (rows may be ragged; missing cells are empty).
pub fn read_table(text: &str) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            invalid(
                format!("The file is not CSV: {e}."),
                "Save it from your spreadsheet as CSV (comma-separated) and try again.",
            )
        })?
        .iter()
        .map(str::to_string)
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(invalid(
            "The file has no header row.".into(),
            "Put the column names (e.g. name, phone) on the first line.",
        ));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            invalid(
                format!("The file could not be read past {}: {e}.", rows.len() + 1),
                "Check for an unclosed quote on that line.",
            )
        })?;
        if rows.len() == MAX_ROWS {
            return Err(invalid(
                format!("The file has more than {MAX_ROWS} rows."),
                "Split it into smaller files.",
            ));
        }
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok((headers, rows))
}

/// A first guess at the mapping from the header names.
pub fn guess_mapping(headers: &[String]) -> Mapping {
    let lower: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    let find = |words: &[&str]| {
        lower
            .iter()
            .position(|h| words.iter().any(|w| h.contains(w)))
    };
    let number = find(&["phone", "mobile", "number", "cell", "tel"]).unwrap_or(0);
    let name = find(&["name"]).filter(|&i| i != number);
    let fields = lower
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != number && Some(*i) != name)
        .filter_map(|(i, h)| {
            let key: String = h
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect::<String>()
                .trim_matches('_')
                .to_string();
            (!key.is_empty() && key.len() <= 32).then_some((i, key))
        })
        .collect();
    Mapping {
        number,
        name,
        fields,
    }
}

impl Services {
    /// Reads a CSV file and checks every row against the numbering plan, the file itself and the
    /// contacts we have; writes nothing.
    pub async fn preview_import(&self, text: &str, mapping: &Mapping) -> Result<ImportReport> {
        let (headers, rows) = read_table(text)?;
        let columns = headers.len();
        if mapping.number >= columns
            || mapping.name.is_some_and(|n| n >= columns)
            || mapping.fields.iter().any(|(i, _)| *i >= columns)
        {
            return Err(invalid(
                "The mapping names a column the file does not have.".into(),
                "Pick the columns again.",
            ));
        }
        let region = self.outbox().check_settings().default_region.clone();
        let mut conn = self.store.pool().acquire().await?;
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let line = i + 2;
            let cell = |c: usize| row.get(c).map(|s| s.trim().to_string()).unwrap_or_default();
            let number_input = cell(mapping.number);
            let name = mapping.name.map(cell).filter(|n| !n.is_empty());
            let fields: Vec<(String, String)> = mapping
                .fields
                .iter()
                .map(|(c, key)| (key.clone(), cell(*c)))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            let parsed = crate::number::inspect(&number_input, &region);
            let (number, check) = match parsed {
                Err(_) => (
                    None,
                    RowCheck::Invalid {
                        reason: if number_input.is_empty() {
                            "No number".into()
                        } else {
                            format!("“{number_input}” is not a phone number")
                        },
                    },
                ),
                Ok(info) if !info.valid => (
                    Some(info.e164.clone()),
                    RowCheck::Invalid {
                        reason: format!(
                            "{} is not in use in its country's numbering plan",
                            info.e164
                        ),
                    },
                ),
                Ok(info) => {
                    let e164 = info.e164;
                    let check = if let Some(first) = seen.get(&e164) {
                        RowCheck::Duplicate { first_line: *first }
                    } else {
                        seen.insert(e164.clone(), line);
                        match contacts::mark_of(&mut conn, &e164).await? {
                            Some(m) if m.mark == NumberMark::OptedOut => RowCheck::OptedOut,
                            Some(m) => RowCheck::Marked {
                                mark: m.mark.as_str().to_string(),
                            },
                            None => {
                                let id: Option<i64> =
                                    sqlx::query_scalar("SELECT id FROM contacts WHERE number = ?1")
                                        .bind(&e164)
                                        .fetch_optional(&mut *conn)
                                        .await?;
                                id.map_or(RowCheck::New, |contact_id| RowCheck::Existing {
                                    contact_id,
                                })
                            }
                        }
                    };
                    (Some(e164), check)
                }
            };
            out.push(ImportRow {
                line,
                number_input,
                number,
                name,
                fields,
                check,
            });
        }
        Ok(ImportReport { headers, rows: out })
    }

    /// Writes the accepted rows (by line) of a file, checked again as it is now; rows that are
    /// invalid or duplicates are skipped whatever was accepted.
    pub async fn import_contacts(
        &self,
        text: &str,
        mapping: &Mapping,
        accepted_lines: &[usize],
    ) -> Result<ImportResult> {
        let report = self.preview_import(text, mapping).await?;
        let mut result = ImportResult::default();
        let mut tx = self.store.write().await?;
        for row in report
            .rows
            .iter()
            .filter(|r| r.check.importable() && accepted_lines.contains(&r.line))
        {
            let Some(number) = &row.number else { continue };
            let existed: Option<i64> =
                sqlx::query_scalar("SELECT id FROM contacts WHERE number = ?1")
                    .bind(number)
                    .fetch_optional(&mut *tx)
                    .await?;
            let id = contacts::upsert_by_number(&mut tx, number).await?;
            if let Some(name) = &row.name {
                sqlx::query("UPDATE contacts SET name = ?2, updated_at = ?3 WHERE id = ?1")
                    .bind(id)
                    .bind(name)
                    .bind(crate::store::now_ms())
                    .execute(&mut *tx)
                    .await?;
            }
            for (key, value) in &row.fields {
                sqlx::query(
                    "INSERT INTO contact_fields (contact_id, name, value, updated_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (contact_id, name) DO UPDATE SET value = excluded.value,
                         updated_at = excluded.updated_at",
                )
                .bind(id)
                .bind(key)
                .bind(value)
                .bind(crate::store::now_ms())
                .execute(&mut *tx)
                .await?;
            }
            if existed.is_some() {
                result.updated += 1;
            } else {
                result.created += 1;
            }
        }
        tx.commit().await?;
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mapping_is_guessed_from_the_headers() {
        let headers: Vec<String> = ["Full Name", "Mobile Phone", "Pet name", "Plan (2026)"]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        let m = guess_mapping(&headers);
        assert_eq!(m.number, 1);
        assert_eq!(m.name, Some(0));
        assert_eq!(
            m.fields,
            vec![(2, "pet_name".to_string()), (3, "plan__2026".to_string())]
        );
    }

    #[test]
    fn a_table_reads_ragged_rows_quotes_and_a_bom() {
        let (headers, rows) =
            read_table("\u{feff}name,phone\n\"Chen, Maya\",312 555 0101\nTom\n").unwrap();
        assert_eq!(headers, vec!["name", "phone"]);
        assert_eq!(rows[0], vec!["Chen, Maya", "312 555 0101"]);
        assert_eq!(rows[1], vec!["Tom"]);
        assert!(read_table("").is_err());
    }
}
