//! The cursors a cursor-paged listing hands back (RFC 9865).

use serde_json::Value;

use crate::query::cursor::{self, CursorRequest, CursorScope, Direction, Position};
use crate::resource::stored::Page;
use crate::service::scim::resources::ResourceService;

impl ResourceService {
    /// `nextCursor` when rows follow the page, `previousCursor` when rows precede it.
    pub(super) fn page_cursors(
        &self,
        scope: &CursorScope,
        request: &CursorRequest,
        page: &Page,
    ) -> (Option<String>, Option<String>) {
        let position = |index: usize| {
            let resource = page.resources.get(index)?;
            Some(Position {
                key: page.sort_keys.get(index).cloned().unwrap_or(Value::Null),
                id: resource.id,
            })
        };
        let now = self.clock.now();
        let cursor_at = |direction, index: usize| {
            position(index)
                .map(|p| cursor::encode(&|s| self.hasher.fingerprint(s), scope, direction, p, now))
        };
        let last = page.resources.len().saturating_sub(1);
        let (more_after, more_before) = match request.direction {
            Direction::Forward => (page.has_more, request.position.is_some()),
            Direction::Backward => (true, page.has_more),
        };
        (
            more_after
                .then(|| cursor_at(Direction::Forward, last))
                .flatten(),
            more_before
                .then(|| cursor_at(Direction::Backward, 0))
                .flatten(),
        )
    }
}
