//! The side commands: `wemi new` (a page scaffolded from its section's schema), `wemi schema`
//! (JSON Schemas for editors' tools) and `wemi check --external` (do outside links answer), and the
//! other hosts the published site would make a browser contact (`wemi check`).

pub mod external;
pub mod hosts;
pub mod new;
pub mod schema;
