//! One recursive function compiles a resolved SCIM filter into a sea-query condition on the
//! `resources` table. Attributes with a column compare that column; group membership is read
//! from `group_members`; everything else is an `IN (subquery)` on the value index, which both
//! databases answer from `(tenant_id, attr_path, value_norm)`. Every condition this produces
//! is true or false, never NULL, so `not` negates exactly.

use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::filter::{AttrPath, CompValue, CompareOp, Filter, ResolvedAttr, lookup};
use scimgate_domain::resource::kind::ResourceKind;
use scimgate_domain::resource::searchable::{normalize_date_time, path_key};
use scimgate_domain::schema::{AttributeDef, AttributeType, SchemaRegistry};
use sea_orm::DbBackend;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use uuid::Uuid;

use super::column_target::{ColumnTarget, column_target};
use super::entities::{group_members as gm, resource_values as rv, resources};

/// Compiles filters for one tenant and resource type on one database.
pub struct FilterCompiler<'a> {
    pub registry: &'a SchemaRegistry,
    pub kind: ResourceKind,
    pub tenant: Uuid,
    pub backend: DbBackend,
}

/// Where a comparison's value lives.
enum Scope<'s> {
    /// The resource itself.
    Resource,
    /// One element of a complex attribute in the value index (alias `e`).
    Element {
        parent: &'s ResolvedAttr<'s>,
        key: &'s str,
    },
    /// One row of `group_members` (alias `m`), seen from a group (`members`) or a user (`groups`).
    Membership { members_of_group: bool },
}

fn always(truth: bool) -> Expr {
    Expr::cust(if truth { "1 = 1" } else { "1 = 0" })
}

fn invalid(detail: String) -> DomainError {
    DomainError::InvalidFilter(detail)
}

fn alias(name: &str) -> Alias {
    Alias::new(name)
}

impl FilterCompiler<'_> {
    pub fn condition(&self, filter: &Filter) -> DomainResult<Expr> {
        self.compile(filter, &Scope::Resource)
    }

    /// A filter relative to one membership row of a group (alias `m`): `value`, `type`.
    pub fn member_condition(&self, filter: &Filter) -> DomainResult<Expr> {
        self.compile(
            filter,
            &Scope::Membership {
                members_of_group: true,
            },
        )
    }

    fn compile(&self, filter: &Filter, scope: &Scope) -> DomainResult<Expr> {
        Ok(match filter {
            Filter::And(a, b) => self.compile(a, scope)?.and(self.compile(b, scope)?),
            Filter::Or(a, b) => self.compile(a, scope)?.or(self.compile(b, scope)?),
            Filter::Not(inner) => self.compile(inner, scope)?.not(),
            Filter::Present(path) => self.present(path, scope)?,
            Filter::Compare { path, op, value } => self.compare(path, *op, value, scope)?,
            Filter::ValuePath { path, filter } => self.value_path(path, filter, scope)?,
        })
    }

    fn resolved(&self, path: &AttrPath) -> DomainResult<ResolvedAttr<'_>> {
        lookup(self.registry, self.kind, path)
            .ok_or_else(|| invalid(format!("unknown attribute '{}'", path.attribute)))
    }

    fn extension_of(&self, attr: &ResolvedAttr) -> Option<&'static str> {
        attr.schema
            .filter(|urn| *urn != self.registry.core_schema(self.kind).id)
    }

    fn is_membership(&self, attr: &ResolvedAttr) -> Option<bool> {
        match (self.kind, attr.attribute.name) {
            (ResourceKind::Group, "members") => Some(true),
            (ResourceKind::User, "groups") => Some(false),
            _ => None,
        }
    }

    fn present(&self, path: &AttrPath, scope: &Scope) -> DomainResult<Expr> {
        match scope {
            Scope::Resource => {
                let attr = self.resolved(path)?;
                if let Some(members_of_group) = self.is_membership(&attr) {
                    return Ok(self.in_membership(members_of_group, always(true)));
                }
                if let Some(target) = column_target(self.kind, &attr)? {
                    return Ok(target.present());
                }
                let key = path_key(
                    self.extension_of(&attr),
                    attr.attribute.name,
                    attr.sub.map(|s| s.name),
                );
                Ok(self.in_values(&key, non_empty(&alias("v"), attr.leaf())))
            }
            Scope::Element { parent, key } => {
                let sub = sub_of(parent, path)?;
                Ok(self.element_exists(
                    &format!("{key}.{}", sub.name.to_lowercase()),
                    non_empty(&alias("v"), sub),
                ))
            }
            Scope::Membership { .. } => Ok(always(true)),
        }
    }

    fn compare(
        &self,
        path: &AttrPath,
        op: CompareOp,
        value: &CompValue,
        scope: &Scope,
    ) -> DomainResult<Expr> {
        if let CompValue::Null = value {
            let present = self.present(path, scope)?;
            return match op {
                CompareOp::Eq => Ok(present.not()),
                CompareOp::Ne => Ok(present),
                _ => Err(invalid(format!(
                    "'{}' cannot compare with null",
                    op.as_str()
                ))),
            };
        }
        if op == CompareOp::Ne {
            return Ok(self.compare(path, CompareOp::Eq, value, scope)?.not());
        }
        match scope {
            Scope::Resource => {
                let attr = self.resolved(path)?;
                if let Some(members_of_group) = self.is_membership(&attr) {
                    let inner = self.membership_compare(members_of_group, attr.sub, op, value)?;
                    return Ok(self.in_membership(members_of_group, inner));
                }
                if let Some(target) = column_target(self.kind, &attr)? {
                    return self.column_compare(target, attr.leaf(), op, value);
                }
                let key = path_key(
                    self.extension_of(&attr),
                    attr.attribute.name,
                    attr.sub.map(|s| s.name),
                );
                let cond = self.value_compare(&alias("v"), attr.leaf(), op, value)?;
                Ok(self.in_values(&key, cond))
            }
            Scope::Element { parent, key } => {
                let sub = sub_of(parent, path)?;
                let cond = self.value_compare(&alias("v"), sub, op, value)?;
                Ok(self.element_exists(&format!("{key}.{}", sub.name.to_lowercase()), cond))
            }
            Scope::Membership { members_of_group } => {
                let sub = AttrPath::simple(&path.attribute);
                let def = self
                    .registry
                    .core_schema(self.kind)
                    .attribute(if *members_of_group {
                        "members"
                    } else {
                        "groups"
                    })
                    .and_then(|a| a.sub_attribute(&sub.attribute));
                self.membership_compare(*members_of_group, def, op, value)
            }
        }
    }

    fn value_path(&self, path: &AttrPath, filter: &Filter, scope: &Scope) -> DomainResult<Expr> {
        if !matches!(scope, Scope::Resource) {
            return Err(invalid("value paths cannot be nested".into()));
        }
        let attr = self.resolved(path)?;
        if let Some(members_of_group) = self.is_membership(&attr) {
            let inner = self.compile(filter, &Scope::Membership { members_of_group })?;
            return Ok(self.in_membership(members_of_group, inner));
        }
        let key = path_key(self.extension_of(&attr), attr.attribute.name, None);
        let inner = self.compile(
            filter,
            &Scope::Element {
                parent: &attr,
                key: &key,
            },
        )?;
        let mut select = Query::select();
        select
            .column((alias("e"), rv::Column::ResourceId))
            .from_as(rv::Entity, alias("e"))
            .and_where(Expr::col((alias("e"), rv::Column::TenantId)).eq(self.tenant))
            .and_where(Expr::col((alias("e"), rv::Column::AttrPath)).eq(key.clone()))
            .and_where(Expr::col((alias("e"), rv::Column::ValueNorm)).is_null())
            .and_where(inner);
        Ok(resource_id().in_subquery(select))
    }

    /// `resources.id IN (SELECT resource_id FROM resource_values v WHERE path = key AND cond)`
    fn in_values(&self, key: &str, cond: Expr) -> Expr {
        let mut select = Query::select();
        select
            .column((alias("v"), rv::Column::ResourceId))
            .from_as(rv::Entity, alias("v"))
            .and_where(Expr::col((alias("v"), rv::Column::TenantId)).eq(self.tenant))
            .and_where(Expr::col((alias("v"), rv::Column::AttrPath)).eq(key.to_owned()))
            .and_where(cond);
        resource_id().in_subquery(select)
    }

    /// A sub-attribute row of the same element as the enclosing `e` row.
    fn element_exists(&self, key: &str, cond: Expr) -> Expr {
        let mut select = Query::select();
        select
            .expr(Expr::val(1))
            .from_as(rv::Entity, alias("v"))
            .and_where(
                Expr::col((alias("v"), rv::Column::TenantId))
                    .equals((alias("e"), rv::Column::TenantId)),
            )
            .and_where(
                Expr::col((alias("v"), rv::Column::ResourceId))
                    .equals((alias("e"), rv::Column::ResourceId)),
            )
            .and_where(
                Expr::col((alias("v"), rv::Column::Element))
                    .equals((alias("e"), rv::Column::Element)),
            )
            .and_where(Expr::col((alias("v"), rv::Column::AttrPath)).eq(key.to_owned()))
            .and_where(cond);
        Expr::exists(select)
    }

    fn in_membership(&self, members_of_group: bool, cond: Expr) -> Expr {
        let (own, _) = membership_columns(members_of_group);
        let mut select = Query::select();
        select
            .column((alias("m"), own))
            .from_as(gm::Entity, alias("m"))
            .and_where(Expr::col((alias("m"), gm::Column::TenantId)).eq(self.tenant))
            .and_where(cond);
        resource_id().in_subquery(select)
    }

    fn membership_compare(
        &self,
        members_of_group: bool,
        sub: Option<&AttributeDef>,
        op: CompareOp,
        value: &CompValue,
    ) -> DomainResult<Expr> {
        let (_, other) = membership_columns(members_of_group);
        let CompValue::String(text) = value else {
            return Err(invalid("membership filters compare strings".into()));
        };
        match (sub.map(|s| s.name), op) {
            (None | Some("value"), CompareOp::Eq) => Ok(match Uuid::parse_str(text) {
                Ok(id) => Expr::col((alias("m"), other)).eq(id),
                Err(_) => always(false),
            }),
            (Some("type"), CompareOp::Eq) if members_of_group => {
                Ok(match ResourceKind::parse(text) {
                    Some(kind) => Expr::col((alias("m"), gm::Column::MemberType)).eq(kind.name()),
                    None => always(false),
                })
            }
            (name, op) => Err(invalid(format!(
                "'{}' is not supported on {}{}",
                op.as_str(),
                if members_of_group {
                    "members"
                } else {
                    "groups"
                },
                name.map(|n| format!(".{n}")).unwrap_or_default()
            ))),
        }
    }

    fn column_compare(
        &self,
        target: ColumnTarget,
        def: &AttributeDef,
        op: CompareOp,
        value: &CompValue,
    ) -> DomainResult<Expr> {
        match target {
            ColumnTarget::Text(column) => {
                let text = string_value(def, value)?;
                Ok(target.present().and(self.text_op(
                    Expr::col((resources::Entity, column)),
                    op,
                    &text,
                )?))
            }
            ColumnTarget::Id => {
                let text = string_value(def, value)?;
                match (op, Uuid::parse_str(&text)) {
                    (CompareOp::Eq, Ok(id)) => Ok(resource_id().eq(id)),
                    (CompareOp::Eq, Err(_)) => Ok(always(false)),
                    _ => Err(invalid(format!("'{}' is not supported on id", op.as_str()))),
                }
            }
            ColumnTarget::Time(column) => {
                let CompValue::String(text) = value else {
                    return Err(invalid(
                        "dateTime attributes compare with a quoted dateTime".into(),
                    ));
                };
                let at: DateTime<Utc> = DateTime::parse_from_rfc3339(text)
                    .map_err(|_| invalid(format!("'{text}' is not an RFC 3339 dateTime")))?
                    .with_timezone(&Utc);
                let col = Expr::col((resources::Entity, column));
                Ok(match op {
                    CompareOp::Eq => col.eq(at),
                    CompareOp::Gt => col.gt(at),
                    CompareOp::Ge => col.gte(at),
                    CompareOp::Lt => col.lt(at),
                    CompareOp::Le => col.lte(at),
                    _ => {
                        return Err(invalid(format!(
                            "'{}' is not supported on dateTime",
                            op.as_str()
                        )));
                    }
                })
            }
            ColumnTarget::Constant(constant) => {
                let text = string_value(def, value)?;
                let actual = if def.case_exact {
                    constant.to_owned()
                } else {
                    constant.to_lowercase()
                };
                Ok(always(match op {
                    CompareOp::Eq => actual == text,
                    CompareOp::Co => actual.contains(&text),
                    CompareOp::Sw => actual.starts_with(&text),
                    CompareOp::Ew => actual.ends_with(&text),
                    _ => {
                        return Err(invalid(format!(
                            "'{}' is not supported on meta.resourceType",
                            op.as_str()
                        )));
                    }
                }))
            }
            ColumnTarget::Version => {
                let text = string_value(def, value)?;
                let number = text
                    .trim_start_matches("w/")
                    .trim_matches('"')
                    .parse::<i64>()
                    .ok();
                match (op, number) {
                    (CompareOp::Eq, Some(n)) => {
                        Ok(Expr::col((resources::Entity, resources::Column::Version)).eq(n))
                    }
                    (CompareOp::Eq, None) => Ok(always(false)),
                    _ => Err(invalid(format!(
                        "'{}' is not supported on meta.version",
                        op.as_str()
                    ))),
                }
            }
        }
    }

    fn value_compare(
        &self,
        table: &Alias,
        def: &AttributeDef,
        op: CompareOp,
        value: &CompValue,
    ) -> DomainResult<Expr> {
        let norm = Expr::col((table.clone(), rv::Column::ValueNorm));
        match value {
            CompValue::Number(n) => {
                let number = n
                    .as_f64()
                    .ok_or_else(|| invalid(format!("'{n}' is not a usable number")))?;
                let col = Expr::col((table.clone(), rv::Column::ValueNum));
                let cond = match op {
                    CompareOp::Eq => col.eq(number),
                    CompareOp::Gt => col.gt(number),
                    CompareOp::Ge => col.gte(number),
                    CompareOp::Lt => col.lt(number),
                    CompareOp::Le => col.lte(number),
                    _ => {
                        return Err(invalid(format!(
                            "'{}' does not apply to numbers",
                            op.as_str()
                        )));
                    }
                };
                Ok(Expr::col((table.clone(), rv::Column::ValueNum))
                    .is_not_null()
                    .and(cond))
            }
            CompValue::Bool(b) => match op {
                CompareOp::Eq => Ok(norm.eq(b.to_string())),
                _ => Err(invalid(format!(
                    "'{}' does not apply to booleans",
                    op.as_str()
                ))),
            },
            CompValue::String(_) => {
                let text = string_value(def, value)?;
                Ok(norm
                    .clone()
                    .is_not_null()
                    .and(self.text_op(norm, op, &text)?))
            }
            CompValue::Null => Err(invalid("null is only compared with eq and ne".into())),
        }
    }

    /// String operators on a normalised text column; byte order on both databases.
    fn text_op(&self, col: Expr, op: CompareOp, text: &str) -> DomainResult<Expr> {
        // PostgreSQL's right() takes an int4.
        let chars = i32::try_from(text.chars().count()).unwrap_or(i32::MAX);
        Ok(match op {
            CompareOp::Eq => col.eq(text),
            CompareOp::Gt => col.gt(text),
            CompareOp::Ge => col.gte(text),
            CompareOp::Lt => col.lt(text),
            CompareOp::Le => col.lte(text),
            // A range, so the prefix lookup is an index range scan on both databases.
            CompareOp::Sw => col
                .clone()
                .gte(text)
                .and(col.lt(format!("{text}\u{10FFFF}"))),
            CompareOp::Co => {
                let position = match self.backend {
                    DbBackend::Postgres => Func::cust("strpos").arg(col).arg(text),
                    _ => Func::cust("instr").arg(col).arg(text),
                };
                Expr::expr(position).gt(0)
            }
            CompareOp::Ew => {
                let tail = match self.backend {
                    DbBackend::Postgres => Func::cust("right").arg(col).arg(chars),
                    _ => Func::cust("substr").arg(col).arg(-chars),
                };
                Expr::expr(tail).eq(text)
            }
            CompareOp::Ne => return Err(invalid("ne is compiled as not eq".into())),
        })
    }
}

fn resource_id() -> Expr {
    Expr::col((resources::Entity, resources::Column::Id))
}

/// (column naming the resource, column naming the other end) of a membership row.
fn membership_columns(members_of_group: bool) -> (gm::Column, gm::Column) {
    if members_of_group {
        (gm::Column::GroupId, gm::Column::MemberId)
    } else {
        (gm::Column::MemberId, gm::Column::GroupId)
    }
}

/// Present and not the empty string (RFC 7644 `pr`).
fn non_empty(table: &Alias, def: &AttributeDef) -> Expr {
    if def.ty == AttributeType::Complex {
        always(true)
    } else {
        Expr::col((table.clone(), rv::Column::ValueNorm)).ne("")
    }
}

fn sub_of<'r>(parent: &ResolvedAttr<'r>, path: &AttrPath) -> DomainResult<&'r AttributeDef> {
    parent
        .attribute
        .sub_attribute(&path.attribute)
        .ok_or_else(|| {
            invalid(format!(
                "unknown sub-attribute '{}.{}'",
                parent.attribute.name, path.attribute
            ))
        })
}

/// The filter's string, normalised the way the index stores values of `def`.
fn string_value(def: &AttributeDef, value: &CompValue) -> DomainResult<String> {
    let CompValue::String(text) = value else {
        return Err(invalid(format!(
            "attribute '{}' compares with a quoted string",
            def.name
        )));
    };
    Ok(match def.ty {
        AttributeType::DateTime => normalize_date_time(text)
            .ok_or_else(|| invalid(format!("'{text}' is not an RFC 3339 dateTime")))?,
        _ if def.case_exact => text.clone(),
        _ => text.to_lowercase(),
    })
}
