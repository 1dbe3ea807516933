//! Validated paging parameters of a list request (RFC 7644 §3.4.2.4).

use crate::error::{DomainError, DomainResult};

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
}

/// A page request that cannot be out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListQuery {
    /// 1-based index of the first result.
    pub start_index: u64,
    pub count: u64,
}

impl ListQuery {
    /// Applies RFC 7644's rules: a `startIndex` below 1 means 1, a negative `count` means 0,
    /// and a `count` above `max_results` is lowered to it. Features this server does not
    /// offer yet are refused rather than silently ignored, so a client never mistakes an
    /// unfiltered listing for a filtered one. (`attributes` only trims a response, so until
    /// projection lands the full resource is a safe answer.)
    pub fn from_params(
        params: &ListParams,
        default_count: u64,
        max_results: u64,
    ) -> DomainResult<Self> {
        if params.filter.is_some() {
            return Err(DomainError::NotImplemented(
                "filtering is not supported yet".into(),
            ));
        }
        if params.sort_by.is_some() || params.sort_order.is_some() {
            return Err(DomainError::NotImplemented(
                "sorting is not supported yet".into(),
            ));
        }
        let start_index = parse_integer("startIndex", params.start_index.as_deref())?.unwrap_or(1);
        let count = parse_integer("count", params.count.as_deref())?
            .map_or(default_count.min(max_results), |c| {
                c.clamp(0, max_results as i64) as u64
            });
        Ok(Self {
            start_index: start_index.max(1) as u64,
            count,
        })
    }

    pub fn offset(&self) -> u64 {
        self.start_index - 1
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

    fn params(start: Option<&str>, count: Option<&str>) -> ListParams {
        ListParams {
            start_index: start.map(str::to_owned),
            count: count.map(str::to_owned),
            ..ListParams::default()
        }
    }

    #[test]
    fn out_of_range_paging_is_clamped_as_the_rfc_says() {
        let q = ListQuery::from_params(&params(Some("0"), Some("-5")), 100, 1000).unwrap();
        assert_eq!(
            q,
            ListQuery {
                start_index: 1,
                count: 0
            }
        );
        let q = ListQuery::from_params(&params(Some("7"), Some("5000")), 100, 1000).unwrap();
        assert_eq!(
            q,
            ListQuery {
                start_index: 7,
                count: 1000
            }
        );
    }

    #[test]
    fn missing_paging_uses_defaults() {
        let q = ListQuery::from_params(&params(None, None), 100, 1000).unwrap();
        assert_eq!(
            q,
            ListQuery {
                start_index: 1,
                count: 100
            }
        );
    }

    #[test]
    fn non_numeric_paging_is_rejected() {
        assert!(matches!(
            ListQuery::from_params(&params(Some("abc"), None), 100, 1000),
            Err(DomainError::InvalidQuery(_))
        ));
    }

    #[test]
    fn unsupported_filter_is_refused_not_ignored() {
        let p = ListParams {
            filter: Some("userName eq \"x\"".into()),
            ..ListParams::default()
        };
        assert!(matches!(
            ListQuery::from_params(&p, 100, 1000),
            Err(DomainError::NotImplemented(_))
        ));
    }
}
