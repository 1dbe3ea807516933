use super::*;

fn jwks_request() -> TrustedIssuerRequest {
    TrustedIssuerRequest {
        issuer: "https://idp.example.com/oauth2/default".into(),
        audience: "api://scimgate".into(),
        jwks_url: Some("https://idp.example.com/oauth2/default/v1/keys".into()),
        ..Default::default()
    }
}

#[test]
fn a_jwks_entry_gets_the_default_scope_claim_and_scopes() {
    let valid = jwks_request().validate(Registrar::Operator).unwrap();
    assert_eq!(valid.scope_claim, "scope");
    assert_eq!(valid.allowed_scopes, Scope::DEFAULT.to_vec());
    assert!(valid.secret.is_none());
}

#[test]
fn an_introspection_entry_needs_client_credentials() {
    let mut request = TrustedIssuerRequest {
        jwks_url: None,
        introspection_url: Some("https://idp.example.com/introspect".into()),
        ..jwks_request()
    };
    assert!(matches!(
        TrustedIssuerRequest { ..request }.validate(Registrar::Operator),
        Err(DomainError::InvalidValue(_))
    ));
    request = TrustedIssuerRequest {
        jwks_url: None,
        introspection_url: Some("https://idp.example.com/introspect".into()),
        client_id: Some("scimgate".into()),
        client_secret: Some(IntrospectionSecret::new("s3cret".into())),
        ..jwks_request()
    };
    let valid = request.validate(Registrar::Operator).unwrap();
    assert_eq!(valid.secret.unwrap().expose(), "s3cret");
}

#[test]
fn endpoints_must_be_https_or_loopback_http() {
    for (url, ok) in [
        ("https://idp.example.com/keys", true),
        ("http://127.0.0.1:8080/keys", true),
        ("http://localhost/keys", true),
        ("http://[::1]:9000/keys", true),
        ("http://idp.example.com/keys", false),
        ("ftp://idp.example.com/keys", false),
        ("https://user:pw@idp.example.com/keys", false),
        ("not a url", false),
        ("", false),
    ] {
        let request = TrustedIssuerRequest {
            jwks_url: Some(url.into()),
            ..jwks_request()
        };
        assert_eq!(request.validate(Registrar::Operator).is_ok(), ok, "{url}");
    }
}

#[test]
fn a_tenants_endpoints_must_be_https_even_to_localhost() {
    for (url, ok) in [
        ("https://idp.example.com/keys", true),
        ("https://localhost/keys", true),
        ("http://127.0.0.1:8080/keys", false),
        ("http://localhost/keys", false),
    ] {
        let request = TrustedIssuerRequest {
            jwks_url: Some(url.into()),
            ..jwks_request()
        };
        assert_eq!(request.validate(Registrar::Tenant).is_ok(), ok, "{url}");
    }
}

#[test]
fn wrong_fields_are_refused() {
    let cases = [
        TrustedIssuerRequest {
            issuer: "idp.example.com".into(),
            ..jwks_request()
        },
        TrustedIssuerRequest {
            audience: String::new(),
            ..jwks_request()
        },
        TrustedIssuerRequest {
            introspection_url: Some("https://idp.example.com/introspect".into()),
            ..jwks_request()
        },
        TrustedIssuerRequest {
            jwks_url: None,
            ..jwks_request()
        },
        TrustedIssuerRequest {
            client_secret: Some(IntrospectionSecret::new("x".into())),
            ..jwks_request()
        },
        TrustedIssuerRequest {
            scope_claim: Some("sco pe".into()),
            ..jwks_request()
        },
        TrustedIssuerRequest {
            copy_claims: vec!["{{org}}".into()],
            ..jwks_request()
        },
    ];
    for request in cases {
        let shown = format!("{request:?}");
        assert!(
            matches!(
                request.validate(Registrar::Operator),
                Err(DomainError::InvalidValue(_))
            ),
            "{shown}"
        );
    }
}

#[test]
fn the_secret_never_prints() {
    let secret = IntrospectionSecret::new("s3cret".into());
    assert!(!format!("{secret:?}").contains("s3cret"));
}
