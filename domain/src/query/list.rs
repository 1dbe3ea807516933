//! Validated parameters of a list request (RFC 7644 §3.4.2): a resolved filter, a sort key
//! and a page that cannot be out of range.

use crate::authz::VisibleRows;
use crate::error::{DomainError, DomainResult};
use crate::filter::{AttrPath, Filter, ResolvedFilter, canonical_path, lookup, parse, resolve};
use crate::query::cursor::CursorRequest;
use crate::schema::kind::ResourceKind;
use crate::schema::{AttributeType, SchemaRegistry};

/// Query parameters as the client sent them, not yet trusted.
#[derive(Debug, Default, Clone)]
pub struct ListParams {
    pub start_index: Option<String>,
    pub count: Option<String>,
    pub filter: Option<String>,
    pub sort_by: Option<String>,
    pub sort_order: Option<String>,
    pub attributes: Option<String>,
    pub excluded_attributes: Option<String>,
    /// RFC 9865: present (possibly empty) to ask for cursor paging.
    pub cursor: Option<String>,
}

/// The order of a listing (always tie-broken by id, so pages never skip or repeat).
#[derive(Debug, Clone, PartialEq)]
pub struct Sort {
    /// A resolved, canonical path to a sortable (non-complex) value.
    pub path: AttrPath,
    pub descending: bool,
}

/// A list request the store can run as is.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    /// 1-based index of the first result.
    pub start_index: u64,
    pub count: u64,
    pub filter: Option<ResolvedFilter>,
    pub sort: Option<Sort>,
    /// Whether the page needs Group `members` / User `groups`; a projection that drops them
    /// spares the store reading the membership table.
    pub with_relations: bool,
    /// The raw `cursor` parameter when the client asked for cursor paging.
    pub cursor_token: Option<String>,
    /// The decoded cursor (set by the service, which holds the signing key).
    pub cursor: Option<CursorRequest>,
    /// The caller's rows (set by the service from its policy): the listed type's row filter
    /// is AND-ed with `filter`, and the others bound the relations `filter` may look at and
    /// the page shows.
    pub rows: VisibleRows,
}

/// Paging defaults and limits.
#[derive(Debug, Clone, Copy)]
pub struct PageLimits {
    pub default_count: u64,
    pub max_results: u64,
}

impl ListQuery {
    /// Applies RFC 7644's rules: a `startIndex` below 1 means 1, a negative `count` means 0,
    /// and a `count` above `max_results` is lowered to it. The filter and sort path must name
    /// attributes of `kind`.
    pub fn from_params(
        params: &ListParams,
        registry: &SchemaRegistry,
        kind: ResourceKind,
        limits: PageLimits,
    ) -> DomainResult<Self> {
        let start_index = parse_integer("startIndex", params.start_index.as_deref())?.unwrap_or(1);
        let requested = parse_integer("count", params.count.as_deref());
        let count = if params.cursor.is_some() {
            cursor_count(requested, params, limits)?
        } else {
            requested?.map_or(limits.default_count.min(limits.max_results), |c| {
                c.clamp(0, i64::try_from(limits.max_results).unwrap_or(i64::MAX)) as u64
            })
        };
        let filter = match params.filter.as_deref() {
            Some(text) => Some(resolve(parse(text)?, registry, kind)?),
            None => None,
        };
        let sort = match params.sort_by.as_deref() {
            Some(path) => Some(Sort {
                path: sort_path(path, registry, kind)?,
                descending: descending(params.sort_order.as_deref())?,
            }),
            None => {
                descending(params.sort_order.as_deref())?;
                None
            }
        };
        Ok(Self {
            start_index: start_index.max(1) as u64,
            count,
            filter,
            sort,
            with_relations: true,
            cursor_token: params.cursor.clone(),
            cursor: None,
            rows: VisibleRows::default(),
        })
    }

    pub fn offset(&self) -> u64 {
        self.start_index - 1
    }

    /// What a cursor is bound to: the filter, the order and the caller's rows, canonically
    /// printed.
    pub fn binding(&self) -> String {
        let filter = self
            .filter
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let binding = match &self.sort {
            Some(sort) => format!("{filter}|{}|{}", sort.path, sort.descending),
            None => format!("{filter}||"),
        };
        match self.rows.is_all() {
            true => binding,
            false => format!("{binding}|{}", self.rows.canonical()),
        }
    }
}

/// RFC 9865: in cursor paging `count` must lie in 1..=maxPageSize, and `startIndex` has no
/// meaning.
fn cursor_count(
    requested: DomainResult<Option<i64>>,
    params: &ListParams,
    limits: PageLimits,
) -> DomainResult<u64> {
    if params.start_index.is_some() {
        return Err(DomainError::InvalidQuery(
            "startIndex and cursor cannot be combined: choose index or cursor paging".into(),
        ));
    }
    let out_of_range = || {
        DomainError::InvalidCount(format!(
            "count must be between 1 and {} with cursor paging",
            limits.max_results
        ))
    };
    match requested.map_err(|_| out_of_range())? {
        None => Ok(limits.default_count.clamp(1, limits.max_results.max(1))),
        Some(c) if c >= 1 && (c as u64) <= limits.max_results => Ok(c as u64),
        Some(_) => Err(out_of_range()),
    }
}

/// `sortBy` names a value (not a complex attribute); a multi-valued attribute sorts by its
/// primary or first value (RFC 7644 §3.4.2.3).
fn sort_path(raw: &str, registry: &SchemaRegistry, kind: ResourceKind) -> DomainResult<AttrPath> {
    let parsed = match parse(&format!("{raw} pr"))? {
        Filter::Present(path) => path,
        _ => {
            return Err(DomainError::InvalidQuery(format!(
                "sortBy '{raw}' is not an attribute path"
            )));
        }
    };
    let path = canonical_path(&parsed, registry, kind)?;
    let attr = lookup(registry, kind, &path)
        .ok_or_else(|| DomainError::InvalidQuery(format!("sortBy '{raw}' is not an attribute")))?;
    if attr.sub.is_none() && attr.attribute.sub_attribute("value").is_some() {
        // `sortBy=emails` sorts by the primary or first email address.
        return Ok(AttrPath {
            sub_attribute: Some("value".into()),
            ..path
        });
    }
    if attr.leaf().ty == AttributeType::Complex {
        return Err(DomainError::InvalidQuery(format!(
            "sortBy '{raw}' names a complex attribute; name one of its sub-attributes"
        )));
    }
    Ok(path)
}

fn descending(raw: Option<&str>) -> DomainResult<bool> {
    match raw {
        None => Ok(false),
        Some(order) if order.eq_ignore_ascii_case("ascending") => Ok(false),
        Some(order) if order.eq_ignore_ascii_case("descending") => Ok(true),
        Some(order) => Err(DomainError::InvalidQuery(format!(
            "sortOrder must be 'ascending' or 'descending', got '{order}'"
        ))),
    }
}

fn parse_integer(name: &str, raw: Option<&str>) -> DomainResult<Option<i64>> {
    raw.map(|text| {
        text.trim().parse::<i64>().map_err(|_| {
            DomainError::InvalidQuery(format!("{name} must be an integer, got '{text}'"))
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: PageLimits = PageLimits {
        default_count: 100,
        max_results: 1000,
    };

    fn query(params: ListParams) -> DomainResult<ListQuery> {
        ListQuery::from_params(
            &params,
            &SchemaRegistry::standard(),
            ResourceKind::User,
            LIMITS,
        )
    }

    fn params(start: Option<&str>, count: Option<&str>) -> ListParams {
        ListParams {
            start_index: start.map(str::to_owned),
            count: count.map(str::to_owned),
            ..ListParams::default()
        }
    }

    #[test]
    fn out_of_range_paging_is_clamped_as_the_rfc_says() {
        let q = query(params(Some("0"), Some("-5"))).unwrap();
        assert_eq!((q.start_index, q.count), (1, 0));
        let q = query(params(Some("7"), Some("5000"))).unwrap();
        assert_eq!((q.start_index, q.count), (7, 1000));
    }

    #[test]
    fn missing_paging_uses_defaults() {
        let q = query(params(None, None)).unwrap();
        assert_eq!((q.start_index, q.count), (1, 100));
    }

    #[test]
    fn non_numeric_paging_is_rejected() {
        assert!(matches!(
            query(params(Some("abc"), None)),
            Err(DomainError::InvalidQuery(_))
        ));
    }

    #[test]
    fn filter_is_parsed_and_resolved_to_canonical_names() {
        let q = query(ListParams {
            filter: Some("USERNAME eq \"ada\"".into()),
            ..ListParams::default()
        })
        .unwrap();
        let Some(Filter::Compare { path, .. }) = q.filter.as_deref() else {
            panic!("expected a comparison")
        };
        assert_eq!(path.attribute, "userName");
    }

    #[test]
    fn unknown_filter_attribute_is_invalid_filter() {
        let result = query(ListParams {
            filter: Some("shoeSize gt 40".into()),
            ..ListParams::default()
        });
        assert!(matches!(result, Err(DomainError::InvalidFilter(_))));
    }

    #[test]
    fn sort_accepts_values_and_refuses_complex_attributes_and_bad_orders() {
        let ok = query(ListParams {
            sort_by: Some("name.familyName".into()),
            sort_order: Some("DESCENDING".into()),
            ..ListParams::default()
        })
        .unwrap();
        assert!(
            ok.sort.is_some_and(
                |s| s.descending && s.path.sub_attribute.as_deref() == Some("familyName")
            )
        );
        for (sort_by, order) in [
            ("name", None),
            ("userName", Some("sideways")),
            ("nope", None),
        ] {
            let result = query(ListParams {
                sort_by: Some(sort_by.into()),
                sort_order: order.map(str::to_owned),
                ..ListParams::default()
            });
            assert!(result.is_err(), "{sort_by} {order:?}");
        }
    }
}
