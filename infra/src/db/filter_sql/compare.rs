//! Comparisons on one value: a column of `resources`, an index row, or a membership row.

use chrono::{DateTime, DurationRound, Utc};
use scimgate_domain::error::DomainResult;
use scimgate_domain::filter::{CompValue, CompareOp};
use scimgate_domain::resource::searchable::normalize_date_time;
use scimgate_domain::schema::common::{RENDERED_TIME_PRECISION, id_of, version_of};
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::schema::relation::Relation;
use scimgate_domain::schema::{AttributeDef, AttributeType};
use sea_orm::DbBackend;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func};
use uuid::Uuid;

use super::substring;
use super::{FilterCompiler, alias, always, invariant, membership_columns, resource_id};
use crate::db::column_target::ColumnTarget;
use crate::db::entities::{group_members as gm, resource_values as rv, resources};

impl FilterCompiler<'_> {
    pub(super) fn membership_compare(
        &self,
        relation: Relation,
        sub: Option<&AttributeDef>,
        op: CompareOp,
        value: &CompValue,
    ) -> DomainResult<Expr> {
        let (_, other) = membership_columns(relation);
        let CompValue::String(text) = value else {
            return Err(invariant("membership filters compare strings".into()));
        };
        match (sub.map(|s| s.name), op) {
            (None | Some("value"), CompareOp::Eq) => Ok(match Uuid::parse_str(text) {
                Ok(id) => Expr::col((alias("m"), other)).eq(id),
                Err(_) => always(false),
            }),
            (Some("type"), CompareOp::Eq) if relation == Relation::Members => {
                Ok(match ResourceKind::parse(text) {
                    Some(kind) => Expr::col((alias("m"), gm::Column::MemberType)).eq(kind.name()),
                    None => always(false),
                })
            }
            (name, op) => Err(invariant(format!(
                "'{}' is not supported on {}{}",
                op.as_str(),
                relation.attribute(),
                name.map(|n| format!(".{n}")).unwrap_or_default()
            ))),
        }
    }

    pub(super) fn column_compare(
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
                    substring::has_trigram_index(column),
                )?))
            }
            ColumnTarget::Id => {
                let text = string_value(def, value)?;
                match (op, id_of(&text)) {
                    (CompareOp::Eq, Some(id)) => Ok(resource_id().eq(id)),
                    (CompareOp::Eq, None) => Ok(always(false)),
                    _ => Err(invariant(format!(
                        "'{}' is not supported on id",
                        op.as_str()
                    ))),
                }
            }
            ColumnTarget::Time(column) => {
                let CompValue::String(text) = value else {
                    return Err(invariant(
                        "dateTime attributes compare with a quoted dateTime".into(),
                    ));
                };
                let at: DateTime<Utc> = DateTime::parse_from_rfc3339(text)
                    .map_err(|_| invariant(format!("'{text}' is not an RFC 3339 dateTime")))?
                    .with_timezone(&Utc);
                rendered_time_compare(Expr::col((resources::Entity, column)), op, at)
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
                        return Err(invariant(format!(
                            "'{}' is not supported on meta.resourceType",
                            op.as_str()
                        )));
                    }
                }))
            }
            ColumnTarget::Version => {
                // Resolution wrote a version as `meta.version` renders it (`W/"3"`).
                let text = string_value(def, value)?;
                match (op, version_of(&text)) {
                    (CompareOp::Eq, Some(n)) => {
                        Ok(Expr::col((resources::Entity, resources::Column::Version)).eq(n))
                    }
                    (CompareOp::Eq, None) => Ok(always(false)),
                    _ => Err(invariant(format!(
                        "'{}' is not supported on meta.version",
                        op.as_str()
                    ))),
                }
            }
        }
    }

    pub(super) fn value_compare(
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
                    .ok_or_else(|| invariant(format!("'{n}' is not a usable number")))?;
                let col = Expr::col((table.clone(), rv::Column::ValueNum));
                let cond = match op {
                    CompareOp::Eq => col.eq(number),
                    CompareOp::Gt => col.gt(number),
                    CompareOp::Ge => col.gte(number),
                    CompareOp::Lt => col.lt(number),
                    CompareOp::Le => col.lte(number),
                    _ => {
                        return Err(invariant(format!(
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
                _ => Err(invariant(format!(
                    "'{}' does not apply to booleans",
                    op.as_str()
                ))),
            },
            CompValue::String(_) => {
                let text = string_value(def, value)?;
                Ok(norm
                    .clone()
                    .is_not_null()
                    .and(self.text_op(norm, op, &text, true)?))
            }
            CompValue::Null => Err(invariant("null is only compared with eq and ne".into())),
        }
    }

    /// String operators on a normalised text column; byte order on both databases. On
    /// PostgreSQL `co` and `ew` on a column with a trigram index are the `LIKE` it serves
    /// (see `substring`).
    fn text_op(&self, col: Expr, op: CompareOp, text: &str, trigram: bool) -> DomainResult<Expr> {
        if trigram && self.backend == DbBackend::Postgres && substring::applies(op, text) {
            return Ok(substring::like(col, op, text));
        }
        self.exact_text_op(col, op, text)
    }

    fn exact_text_op(&self, col: Expr, op: CompareOp, text: &str) -> DomainResult<Expr> {
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
            CompareOp::Ne => return Err(invariant("ne is compiled as not eq".into())),
        })
    }
}

/// The filter's string, normalised the way the index stores values of `def`.
fn string_value(def: &AttributeDef, value: &CompValue) -> DomainResult<String> {
    let CompValue::String(text) = value else {
        return Err(invariant(format!(
            "attribute '{}' compares with a quoted string",
            def.name
        )));
    };
    Ok(match def.ty {
        AttributeType::DateTime => normalize_date_time(text)
            .ok_or_else(|| invariant(format!("'{text}' is not an RFC 3339 dateTime")))?,
        _ if def.case_exact => text.clone(),
        _ => text.to_lowercase(),
    })
}

/// `col op at` as a client, and the evaluator, judges it: on the stored instant cut to the
/// precision it is rendered in (`RENDERED_TIME_PRECISION`), so `meta.lastModified gt` the
/// value a client last read does not find the same version again for its microseconds.
fn rendered_time_compare(col: Expr, op: CompareOp, at: DateTime<Utc>) -> DomainResult<Expr> {
    let step = RENDERED_TIME_PRECISION;
    let out_of_range = || invariant(format!("'{at}' is out of range"));
    // The rendered instants next to `at`: `floor <= at <= ceil`, equal when `at` is one.
    let floor = at.duration_trunc(step).map_err(|_| out_of_range())?;
    let next = floor.checked_add_signed(step).ok_or_else(out_of_range)?;
    let ceil = if floor == at { at } else { next };
    // A stored `t` renders as `r` with `r <= t < r + step`.
    Ok(match op {
        CompareOp::Eq if floor == at => col.clone().gte(at).and(col.lt(next)),
        CompareOp::Eq => always(false),
        CompareOp::Gt => col.gte(next),
        CompareOp::Ge => col.gte(ceil),
        CompareOp::Lt => col.lt(ceil),
        CompareOp::Le => col.lt(next),
        _ => {
            return Err(invariant(format!(
                "'{}' is not supported on dateTime",
                op.as_str()
            )));
        }
    })
}
