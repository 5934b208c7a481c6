//! Rendering: the site's pages through the theme's templates (Tera 2).
//!
//! [`templates`] loads the theme once and makes a [`Renderer`] for a site's values;
//! [`bodies`] makes each page's final HTML (links resolved, shortcodes rendered with the
//! theme); [`view`] turns the site and its bodies into the values templates see; [`jobs`]
//! renders every page, in parallel, into the output set; [`images`] makes the resized images
//! templates ask for with `resize_image`.

pub mod bodies;
pub mod images;
pub mod jobs;
pub mod templates;
pub mod view;

pub use jobs::{render, render_page};
pub use templates::{Renderer, Templates};
