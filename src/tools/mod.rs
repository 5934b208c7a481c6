//! The side commands: `wemi new` (a page scaffolded from its section's schema), `wemi schema`
//! (JSON Schemas for editors' tools) and `wemi check --external` (do outside links answer).

pub mod external;
pub mod new;
pub mod schema;
