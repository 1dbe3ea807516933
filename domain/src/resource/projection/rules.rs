//! The keep-or-drop decision for one attribute or sub-attribute, combining what the client
//! asked for with the attribute's `returned` characteristic (RFC 7643 §2.2).

use super::Mode;
use crate::schema::{AttributeDef, Returned};

impl Mode {
    /// Whether any part of an attribute stays. `schema` is its defining URN (`None` for the
    /// common attributes); `def` is `None` for a key no schema defines, which no list can name,
    /// so it stays unless the client listed what it wants.
    pub(super) fn keeps(&self, schema: Option<&str>, def: Option<&AttributeDef>) -> bool {
        let Some(def) = def else {
            return !matches!(self, Self::Only(_));
        };
        match (def.returned, self) {
            (Returned::Never, _) => false,
            (Returned::Always, _) => true,
            (returned, Self::Default) => returned != Returned::Request,
            (returned, Self::Only(listed)) => {
                listed.iter().any(|s| s.touches(schema, def.name))
                    || (returned != Returned::Request
                        && listed.iter().any(|s| s.covers(schema, def.name)))
            }
            (returned, Self::Exclude(excluded)) => {
                returned != Returned::Request
                    && !excluded.iter().any(|s| s.covers(schema, def.name))
            }
        }
    }

    /// Whether a sub-attribute of a kept `parent` stays. `def` is `None` for a key the parent's
    /// definition does not list, treated as returned by default.
    pub(super) fn keeps_sub(
        &self,
        schema: Option<&str>,
        parent: &AttributeDef,
        name: &str,
        def: Option<&AttributeDef>,
    ) -> bool {
        let returned = def.map_or(Returned::Default, |d| d.returned);
        match (returned, self) {
            (Returned::Never, _) => false,
            (Returned::Always, _) => true,
            (returned, Self::Default) => returned != Returned::Request,
            (returned, Self::Only(listed)) => {
                // A parent listed as a whole (or always returned) brings its usual
                // sub-attributes; otherwise only the sub-attributes named one by one.
                let whole = parent.returned == Returned::Always
                    || listed.iter().any(|s| s.covers(schema, parent.name));
                listed
                    .iter()
                    .any(|s| s.names_sub(schema, parent.name, name))
                    || (whole && returned != Returned::Request)
            }
            (returned, Self::Exclude(excluded)) => {
                returned != Returned::Request
                    && !excluded
                        .iter()
                        .any(|s| s.names_sub(schema, parent.name, name))
            }
        }
    }
}
