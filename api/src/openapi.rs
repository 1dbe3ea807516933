//! The OpenAPI 3.1 document of every route, served at `GET /openapi.json`. Each handler
//! carries its own `#[utoipa::path]`; this file only assembles them. SCIM handlers are
//! written once for one base path and one resource type (`/Users`) and are mounted here as the
//! router mounts them: under `/t/{tenant}/scim/v2` and `/scim/v2`, for Users and Groups. The
//! admin handlers are mounted for the tenant admin (`/t/{tenant}/admin/v1`, bearer token) and
//! the operator (`/admin/v1`, admin key). Every operation that does not name its own errors
//! answers 4xx and 5xx with a SCIM error body.

pub mod admin_schemas;
pub mod schemas;
pub mod service_schemas;

use std::sync::LazyLock;

use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Object, Ref, RefOr, Required, ResponseBuilder, Type};

use crate::routes::admin::{
    audit, clients, issuers, lifecycle, setup_links, tenants, tokens, webhooks,
};
use crate::routes::oauth::{metadata, token};
use crate::routes::scim::{bulk, discovery, me, resources};
use crate::routes::{event_poll, events, health, metrics, openapi_json};

/// The media type of SCIM bodies (RFC 7644 §3.1).
const SCIM_MEDIA_TYPE: &str = "application/scim+json";

/// Handlers of one SCIM base path, written for `/Users`.
#[derive(OpenApi)]
#[openapi(paths(
    resources::list,
    resources::create,
    resources::search,
    resources::get,
    resources::replace,
    resources::patch,
    resources::delete,
    resources::search_all,
    bulk::bulk,
    me::get,
    me::create,
    me::replace,
    me::patch,
    me::delete,
    discovery::provider_config,
    discovery::resource_types,
    discovery::resource_type,
    discovery::schemas,
    discovery::schema,
))]
struct ScimRoutes;

/// Handlers of one tenant's admin objects, relative to the admin base path.
#[derive(OpenApi)]
#[openapi(paths(
    tokens::list,
    tokens::create,
    tokens::get,
    tokens::update,
    tokens::revoke,
    tokens::rotate,
    clients::list,
    clients::create,
    clients::get,
    clients::update,
    clients::revoke,
    issuers::list,
    issuers::create,
    issuers::delete,
    audit::page,
    webhooks::list,
    webhooks::create,
    webhooks::get,
    webhooks::update,
    webhooks::delete,
    webhooks::rotate_secret,
    webhooks::deliveries,
    webhooks::replay,
    setup_links::list,
    setup_links::create,
    setup_links::revoke,
    lifecycle::get_policy,
    lifecycle::set_policy,
    lifecycle::archive,
    lifecycle::restore,
))]
struct TenantAdminRoutes;

/// Routes mounted once, at their own path.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "scimgate",
        description = "Multi-tenant SCIM 2.0 service provider: SCIM (RFC 7643/7644/9865), the admin API, and an OAuth 2.0 token endpoint."
    ),
    paths(
        tenants::list_tenants,
        tenants::create_tenant,
        tenants::get_tenant,
        token::token,
        metadata::jwks,
        metadata::authorization_server,
        events::list,
        event_poll::poll,
        health::healthz,
        health::readyz,
        metrics::metrics,
        openapi_json::openapi_json,
    ),
    components(schemas(schemas::ScimError))
)]
struct RootRoutes;

/// The document, built once.
pub static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(document);

fn document() -> utoipa::openapi::OpenApi {
    let mut doc = RootRoutes::openapi();
    let scim = ScimRoutes::openapi();
    for (base, tenant, prefix) in [
        ("/t/{tenant}/scim/v2", Some("tenant"), "tenantScim"),
        ("/scim/v2", None, "scim"),
    ] {
        for (path, item) in &scim.paths.paths {
            let kinds: &[&str] = if path.starts_with("/Users") {
                &["Users", "Groups"]
            } else {
                &[""]
            };
            for kind in kinds {
                let relative = match *kind {
                    "" => path.clone(),
                    kind => path.replacen("/Users", &format!("/{kind}"), 1),
                };
                let item = mounted(item.clone(), &relative, prefix, tenant, None);
                doc.paths.paths.insert(format!("{base}{relative}"), item);
            }
        }
    }
    let admin = TenantAdminRoutes::openapi();
    for sub in [&scim, &admin] {
        if let Some(components) = &sub.components {
            let schemas = &components.schemas;
            let target = doc.components.get_or_insert_with(Default::default);
            target.schemas.extend(schemas.clone());
        }
    }
    for (path, item) in admin.paths.paths {
        let tenant_admin = mounted(
            item.clone(),
            &path,
            "tenantAdmin",
            Some("tenant"),
            Some("bearer"),
        );
        doc.paths
            .paths
            .insert(format!("/t/{{tenant}}/admin/v1{path}"), tenant_admin);
        // Tokens and clients have ids unique across tenants; the rest sit under the tenant.
        let under_tenant = !(path.starts_with("/tokens/") || path.starts_with("/clients/"));
        let (operator_path, slug) = if under_tenant {
            (format!("/admin/v1/tenants/{{slug}}{path}"), Some("slug"))
        } else {
            (format!("/admin/v1{path}"), None)
        };
        let operator = mounted(item, &path, "operatorAdmin", slug, Some("adminKey"));
        doc.paths.paths.insert(operator_path, operator);
    }
    add_components(&mut doc);
    for item in doc.paths.paths.values_mut() {
        for operation in operations(item) {
            scim_errors_unless_named(operation);
        }
    }
    doc
}

/// The operations of a path item.
fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

/// A relative path item as mounted: unique operation ids, the mount's path parameter and,
/// when given, its security scheme.
fn mounted(
    mut item: PathItem,
    relative: &str,
    prefix: &str,
    path_param: Option<&str>,
    security: Option<&str>,
) -> PathItem {
    let group = relative
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    for operation in operations(&mut item) {
        let id = operation.operation_id.take().unwrap_or_default();
        operation.operation_id = Some(format!("{prefix}.{group}.{id}"));
        if let Some(name) = path_param {
            let parameter = ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(Object::with_type(Type::String)))
                .build();
            operation
                .parameters
                .get_or_insert_with(Vec::new)
                .insert(0, parameter);
        }
        if let Some(scheme) = security {
            operation.security = Some(vec![SecurityRequirement::new(scheme, Vec::<String>::new())]);
        }
        if group == "Users" || group == "Groups" {
            operation.tags = Some(vec![format!("SCIM {group}")]);
        }
    }
    item
}

/// 4XX and 5XX answer with a SCIM error, unless the operation names its own (`/oauth/token`).
fn scim_errors_unless_named(operation: &mut Operation) {
    let responses = &mut operation.responses.responses;
    if responses.contains_key("4XX") {
        return;
    }
    for range in ["4XX", "5XX"] {
        responses.insert(
            range.into(),
            RefOr::Ref(Ref::from_response_name("ScimError")),
        );
    }
}

fn add_components(doc: &mut utoipa::openapi::OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    let error_body = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ScimError")))
        .build();
    components.responses.insert(
        "ScimError".into(),
        RefOr::T(
            ResponseBuilder::new()
                .description("A SCIM error (RFC 7644 §3.12)")
                .content(SCIM_MEDIA_TYPE, error_body)
                .build(),
        ),
    );
    let http = |scheme, description: &str| {
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(scheme)
                .description(Some(description))
                .build(),
        )
    };
    components.add_security_scheme(
        "bearer",
        http(
            HttpAuthScheme::Bearer,
            "A tenant's bearer token: an opaque `scimgate_...` token, a JWT from `/oauth/token`, or a token of an authorization server the tenant trusts. The tenant admin API needs the `scim:admin` scope.",
        ),
    );
    components.add_security_scheme(
        "adminKey",
        http(
            HttpAuthScheme::Bearer,
            "The operator's key (`SCIMGATE_ADMIN_KEY`) as `Authorization: Bearer <key>`.",
        ),
    );
    components.add_security_scheme(
        "clientBasic",
        http(
            HttpAuthScheme::Basic,
            "OAuth client authentication (`client_secret_basic`); or send `client_id` and `client_secret` in the form (`client_secret_post`).",
        ),
    );
}
