use serde_json::json;

use super::*;

fn request(operations: Value) -> Value {
    json!({"schemas": [BULK_REQUEST_SCHEMA], "Operations": operations})
}

#[test]
fn request_without_the_bulk_schema_is_invalid_syntax() {
    let body = json!({"Operations": []});
    assert!(matches!(
        BulkRequest::parse(&body, 10),
        Err(DomainError::InvalidSyntax(_))
    ));
}

#[test]
fn more_operations_than_allowed_is_too_large() {
    let body = request(json!([{}, {}, {}]));
    assert!(matches!(
        BulkRequest::parse(&body, 2),
        Err(DomainError::TooLarge(_))
    ));
}

#[test]
fn methods_and_endpoints_are_case_insensitive() {
    let body = request(json!([
        {"method": "post", "bulkId": "a", "path": "/users", "data": {}},
        {"method": "Delete", "path": "/Groups/bulkId:a"},
    ]));
    let parsed = BulkRequest::parse(&body, 10).unwrap();
    let post = parsed.operations[0].call.as_ref().unwrap();
    assert_eq!((post.method, post.kind), (Method::Post, ResourceKind::User));
    assert_eq!(parsed.operations[0].method.as_deref(), Some("POST"));
    let delete = parsed.operations[1].call.as_ref().unwrap();
    assert_eq!(delete.id.as_deref(), Some("bulkId:a"));
    assert_eq!(delete.references(), vec!["a".to_owned()]);
}

#[test]
fn malformed_operations_fail_alone() {
    let body = request(json!([
        {"method": "POST", "path": "/Users", "data": {}},
        {"method": "GET", "path": "/Users/1"},
        {"method": "PUT", "path": "/Users", "data": {}},
        {"method": "DELETE", "path": "/Widgets/1"},
        {"method": "PATCH", "path": "/Users/1"},
        "nope",
    ]));
    let parsed = BulkRequest::parse(&body, 10).unwrap();
    let errors: Vec<_> = parsed.operations.iter().map(|o| &o.call).collect();
    assert!(matches!(errors[0], Err(DomainError::InvalidValue(_))));
    assert!(matches!(errors[1], Err(DomainError::InvalidValue(_))));
    assert!(matches!(errors[2], Err(DomainError::InvalidValue(_))));
    assert!(matches!(errors[3], Err(DomainError::NotFound(_))));
    assert!(matches!(errors[4], Err(DomainError::InvalidValue(_))));
    assert!(matches!(errors[5], Err(DomainError::InvalidSyntax(_))));
    assert_eq!(parsed.operations[1].method.as_deref(), Some("GET"));
}

#[test]
fn a_second_post_with_the_same_bulk_id_fails() {
    let body = request(json!([
        {"method": "POST", "bulkId": "a", "path": "/Users", "data": {}},
        {"method": "POST", "bulkId": "a", "path": "/Users", "data": {}},
    ]));
    let parsed = BulkRequest::parse(&body, 10).unwrap();
    assert!(parsed.operations[0].call.is_ok());
    assert!(matches!(
        parsed.operations[1].call,
        Err(DomainError::InvalidValue(_))
    ));
}

#[test]
fn references_are_found_at_any_depth() {
    let body = request(json!([{
        "method": "POST", "bulkId": "g", "path": "/Groups",
        "data": {"members": [{"value": "bulkId:u1"}, {"value": "bulkId:u2"}, {"value": "bulkId:u1"}],
                 "displayName": "bulkIds are fine in text"},
    }]));
    let parsed = BulkRequest::parse(&body, 10).unwrap();
    let call = parsed.operations[0].call.as_ref().unwrap();
    assert_eq!(call.references(), vec!["u1".to_owned(), "u2".to_owned()]);
}

#[test]
fn fail_on_errors_must_be_a_positive_integer() {
    for bad in [json!(0), json!(-1), json!("2"), json!(1.5)] {
        let body = json!({"schemas": [BULK_REQUEST_SCHEMA], "failOnErrors": bad, "Operations": []});
        assert!(matches!(
            BulkRequest::parse(&body, 10),
            Err(DomainError::InvalidValue(_))
        ));
    }
}
