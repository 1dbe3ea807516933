//! Settings as files and the environment give them.

use super::*;
use figment::providers::Serialized;

fn settings_with(key: &str, value: &str) -> Result<Settings, String> {
    Figment::from(Serialized::default(key, value))
        .extract()
        .map_err(|err| err.to_string())
}

#[test]
fn seconds_settings_become_durations_under_their_documented_names() {
    let settings = Figment::from(Serialized::default("token_cache_ttl_secs", 7))
        .extract::<Settings>()
        .unwrap();
    assert_eq!(settings.token_cache_ttl, Duration::from_secs(7));
    assert_eq!(settings.oauth_token_ttl, Duration::from_secs(600));
}

#[test]
fn an_unknown_log_format_is_an_error_naming_the_setting() {
    let err = settings_with("log_format", "xml").unwrap_err();
    assert!(err.contains("log_format"), "{err}");
    let json = settings_with("log_format", "json").unwrap();
    assert_eq!(json.log_format, LogFormat::Json);
}

#[test]
fn redacted_url_hides_the_password_only() {
    assert_eq!(
        redact_url("postgres://app:hunter2@db:5432/scim"),
        "postgres://app:***@db:5432/scim"
    );
    assert_eq!(redact_url(DEFAULT_DATABASE_URL), DEFAULT_DATABASE_URL);
}

#[test]
fn networks_that_do_not_parse_stop_the_load_naming_their_variable() {
    let proxies = settings_with("trusted_proxies", "10.0.0/8")
        .unwrap()
        .checked();
    let err = proxies.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("SCIMGATE_TRUSTED_PROXIES"), "{err}");
    let allowed = settings_with("tenant_issuer_allowed_networks", "10.20.0.0/16, nope")
        .unwrap()
        .checked();
    let err = allowed.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        err.contains("SCIMGATE_TENANT_ISSUER_ALLOWED_NETWORKS") && err.contains("nope"),
        "{err}"
    );
    assert!(
        settings_with("trusted_proxies", "10.0.0.0/8, ::1")
            .unwrap()
            .checked()
            .is_ok()
    );
}

#[test]
fn console_settings_default_safely_and_refuse_what_would_break_the_csp() {
    let defaults = settings_with("listen", "127.0.0.1:0").unwrap();
    assert_eq!(defaults.console.frame_ancestors, "'none'");
    assert_eq!(defaults.console.session_ttl, Duration::from_secs(8 * 3600));
    assert!(defaults.checked().is_ok());
    let framed =
        settings_with("console_frame_ancestors", "https://app.example.com 'self'").unwrap();
    assert!(framed.checked().is_ok());
    for bad in ["'none'; script-src *", "a,b", "x\ny", " "] {
        let settings = settings_with("console_frame_ancestors", bad).unwrap();
        let err = settings.checked().unwrap_err().to_string();
        assert!(
            err.contains("SCIMGATE_CONSOLE_FRAME_ANCESTORS"),
            "{bad}: {err}"
        );
    }
    let number = |key: &str, value: u64| {
        Figment::from(Serialized::default(key, value))
            .extract::<Settings>()
            .map_err(|err| err.to_string())
    };
    let zero = number("console_redeem_burst", 0).unwrap();
    assert!(zero.checked().is_err());
    assert!(number("console_session_ttl_secs", 0).is_err());
    let short = number("console_session_ttl_secs", 60).unwrap();
    assert_eq!(short.console.session_ttl, Duration::from_secs(60));
}
