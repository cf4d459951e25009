//! HTTP Basic auth as Twilio does it: the account's own SID+token, or one of its API keys.

use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::config::AccountConfig;
use crate::errors::ApiError;

/// Checks the request's credentials against the account named in the path.
///
/// An unknown account answers exactly like a wrong password so the API never reveals which
/// account SIDs exist.
pub(crate) fn authorize<'a>(
    accounts: &'a [AccountConfig],
    path_account: &str,
    headers: &HeaderMap,
) -> Result<&'a AccountConfig, ApiError> {
    let (user, pass) = basic_credentials(headers).ok_or_else(ApiError::unauthenticated)?;
    let account = accounts
        .iter()
        .find(|a| a.sid == path_account)
        .ok_or_else(ApiError::unauthenticated)?;
    let by_token = user == account.sid && constant_time_eq(&pass, &account.auth_token);
    let by_key = account
        .api_keys
        .iter()
        .any(|k| user == k.sid && constant_time_eq(&pass, &k.secret));
    if by_token || by_key {
        Ok(account)
    } else {
        Err(ApiError::unauthenticated())
    }
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_owned(), pass.to_owned()))
}

/// Secrets are compared without an early exit so response timing does not leak prefixes.
fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn account() -> AccountConfig {
        AccountConfig {
            sid: "AC00000000000000000000000000000001".into(),
            auth_token: "tok".into(),
            api_keys: vec![crate::config::ApiKey {
                sid: "SK00000000000000000000000000000001".into(),
                secret: "sec".into(),
            }],
            numbers: vec![],
        }
    }

    fn headers(user: &str, pass: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        let v = format!("Basic {}", STANDARD.encode(format!("{user}:{pass}")));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&v).expect("ascii"),
        );
        h
    }

    #[test]
    fn token_and_key_accepted_others_rejected() {
        let accts = [account()];
        let sid = accts[0].sid.clone();
        assert!(authorize(&accts, &sid, &headers(&sid, "tok")).is_ok());
        assert!(authorize(
            &accts,
            &sid,
            &headers("SK00000000000000000000000000000001", "sec")
        )
        .is_ok());
        assert!(authorize(&accts, &sid, &headers(&sid, "sec")).is_err());
        assert!(authorize(
            &accts,
            &sid,
            &headers("SK00000000000000000000000000000001", "tok")
        )
        .is_err());
        assert!(authorize(
            &accts,
            "AC00000000000000000000000000000002",
            &headers(&sid, "tok")
        )
        .is_err());
        assert!(authorize(&accts, &sid, &HeaderMap::new()).is_err());
    }
}
