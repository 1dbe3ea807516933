//! `sortBy` as an ORDER BY expression, and the keyset seek that cursor paging uses on the
//! same expression. The key is a column where there is one, else the primary (or first)
//! value of the attribute in the value index. Missing values sort last ascending and first
//! descending (RFC 7644 §3.4.2.3); the id breaks ties so pages are stable.

use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::filter::lookup;
use scimgate_domain::query::cursor::{Direction, Position};
use scimgate_domain::query::list::Sort;
use scimgate_domain::resource::searchable::{path_key, searchable_values};
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::schema::{AttributeType, SchemaRegistry};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, NullOrdering, Order, Query, SelectStatement};
use serde_json::Value;
use uuid::Uuid;

use super::column_target::{ColumnTarget, column_target};
use super::entities::{resource_values as rv, resources};

/// Where a row's sort key comes from.
enum KeySource {
    Column(ColumnTarget),
    /// The value index entry `path`, numeric or text.
    Values {
        path: String,
        numeric: bool,
    },
}

/// The order of one listing.
pub struct SortPlan {
    key: Option<(Expr, KeySource)>,
    descending: bool,
}

fn id_col() -> Expr {
    Expr::col((resources::Entity, resources::Column::Id))
}

impl SortPlan {
    pub fn new(
        registry: &SchemaRegistry,
        kind: ResourceKind,
        tenant: Uuid,
        sort: Option<&Sort>,
    ) -> DomainResult<Self> {
        let Some(sort) = sort else {
            return Ok(Self {
                key: None,
                descending: false,
            });
        };
        let unsortable =
            || DomainError::InvalidQuery(format!("cannot sort by '{}'", sort.path.attribute));
        let attr = lookup(registry, kind, &sort.path).ok_or_else(unsortable)?;
        if attr.relation(kind).is_some() {
            return Err(unsortable());
        }
        let key = match column_target(kind, &attr)? {
            Some(ColumnTarget::Id | ColumnTarget::Constant(_)) => None,
            Some(target) => target
                .sort_expr()
                .map(|expr| (expr, KeySource::Column(target))),
            None => {
                let extension = attr
                    .schema
                    .filter(|urn| *urn != registry.core_schema(kind).id);
                let path = path_key(extension, attr.attribute.name, attr.sub.map(|s| s.name));
                let numeric = matches!(
                    attr.leaf().ty,
                    AttributeType::Integer | AttributeType::Decimal
                );
                Some((
                    first_value(tenant, &path, numeric),
                    KeySource::Values { path, numeric },
                ))
            }
        };
        Ok(Self {
            key,
            descending: sort.descending,
        })
    }

    /// ORDER BY the key then id; `reversed` reads the same order backwards.
    pub fn order(&self, select: &mut SelectStatement, reversed: bool) {
        let descending = self.descending != reversed;
        if let Some((expr, _)) = &self.key {
            let (order, nulls) = if descending {
                (Order::Desc, NullOrdering::First)
            } else {
                (Order::Asc, NullOrdering::Last)
            };
            select.order_by_expr_with_nulls(expr.clone(), order, nulls);
        }
        let id_order = if reversed { Order::Desc } else { Order::Asc };
        select.order_by((resources::Entity, resources::Column::Id), id_order);
    }

    /// Rows strictly after (`Forward`) or before (`Backward`) `position` in this order.
    pub fn seek(&self, position: &Position, direction: Direction) -> DomainResult<Expr> {
        let forward = direction == Direction::Forward;
        let id_past = if forward {
            id_col().gt(position.id)
        } else {
            id_col().lt(position.id)
        };
        let Some((expr, source)) = &self.key else {
            return Ok(id_past);
        };
        let value = bind_value(source, &position.key)?;
        let nulls_last = !self.descending;
        // Seen in reading direction: are missing keys at the end of it?
        let nulls_at_end = nulls_last == forward;
        // Key strictly past the position's key in reading direction.
        let past = |v: Expr| {
            if self.descending == forward {
                expr.clone().lt(v)
            } else {
                expr.clone().gt(v)
            }
        };
        Ok(match value {
            None if nulls_at_end => expr.clone().is_null().and(id_past),
            None => expr
                .clone()
                .is_not_null()
                .or(expr.clone().is_null().and(id_past)),
            Some(v) => {
                let same_key_later = expr.clone().eq(v.clone()).and(id_past);
                let ahead = past(v).or(same_key_later);
                if nulls_at_end {
                    ahead.or(expr.clone().is_null())
                } else {
                    ahead
                }
            }
        })
    }

    /// The sort key of a loaded row, as a cursor records it.
    pub fn key_of(
        &self,
        registry: &SchemaRegistry,
        kind: ResourceKind,
        row: &resources::Model,
    ) -> Value {
        let Some((_, source)) = &self.key else {
            return Value::Null;
        };
        match source {
            KeySource::Column(ColumnTarget::Text(column)) => {
                let text = match column {
                    resources::Column::UserNameCi => row.user_name_ci.clone(),
                    resources::Column::DisplayNameCi => row.display_name_ci.clone(),
                    _ => row.external_id.clone(),
                };
                text.map_or(Value::Null, Value::String)
            }
            KeySource::Column(ColumnTarget::Time(column)) => {
                let at = match column {
                    resources::Column::Created => row.created,
                    _ => row.last_modified,
                };
                Value::String(at.to_rfc3339())
            }
            KeySource::Column(ColumnTarget::Version) => Value::from(row.version),
            KeySource::Column(_) => Value::Null,
            KeySource::Values { path, numeric } => {
                let Value::Object(document) = &row.document else {
                    return Value::Null;
                };
                let mut values: Vec<_> = searchable_values(registry, kind, document)
                    .into_iter()
                    .filter(|v| &v.path == path && v.norm.is_some())
                    .collect();
                values.sort_by_key(|v| (!v.primary, v.element));
                match values.into_iter().next() {
                    Some(v) if *numeric => v.num.map_or(Value::Null, Value::from),
                    Some(v) => v.norm.map_or(Value::Null, Value::String),
                    None => Value::Null,
                }
            }
        }
    }
}

/// The cursor's key as a value of the key's column type; `None` for a missing key.
fn bind_value(source: &KeySource, key: &Value) -> DomainResult<Option<Expr>> {
    let invalid = || DomainError::InvalidCursor("the cursor does not fit this query".into());
    if key.is_null() {
        return Ok(None);
    }
    Ok(Some(match source {
        KeySource::Column(ColumnTarget::Time(_)) => {
            let text = key.as_str().ok_or_else(invalid)?;
            let at: DateTime<Utc> = DateTime::parse_from_rfc3339(text)
                .map_err(|_| invalid())?
                .with_timezone(&Utc);
            Expr::value(at)
        }
        KeySource::Column(ColumnTarget::Version) => Expr::value(key.as_i64().ok_or_else(invalid)?),
        KeySource::Values { numeric: true, .. } => Expr::value(key.as_f64().ok_or_else(invalid)?),
        _ => Expr::value(key.as_str().ok_or_else(invalid)?.to_owned()),
    }))
}

/// The primary (or else first) indexed value of `path` for the row being sorted.
fn first_value(tenant: Uuid, path: &str, numeric: bool) -> Expr {
    let value_column = if numeric {
        rv::Column::ValueNum
    } else {
        rv::Column::ValueNorm
    };
    let v = Alias::new("s");
    let mut select = Query::select();
    select
        .column((v.clone(), value_column))
        .from_as(rv::Entity, v.clone())
        .and_where(Expr::col((v.clone(), rv::Column::TenantId)).eq(tenant))
        .and_where(
            Expr::col((v.clone(), rv::Column::ResourceId))
                .equals((resources::Entity, resources::Column::Id)),
        )
        .and_where(Expr::col((v.clone(), rv::Column::AttrPath)).eq(path.to_owned()))
        .and_where(Expr::col((v.clone(), value_column)).is_not_null())
        .order_by((v.clone(), rv::Column::IsPrimary), Order::Desc)
        .order_by((v, rv::Column::Element), Order::Asc)
        .limit(1);
    Expr::SubQuery(None, Box::new(select.into()))
}
