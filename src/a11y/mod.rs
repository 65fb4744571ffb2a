//! Shared accessibility knowledge computed once and used by every rule ("commons" in axe-core):
//! accessible names, roles, hidden state.

pub mod accname;
pub mod aria;
pub mod focus;
pub mod relevance;
pub mod roles;
pub mod visible;

pub use accname::accessible_name;
pub use focus::is_tabbable;
pub use roles::{
    global_aria_attrs, implicit_role, is_focusable, presentational_role_applies, resolved_role,
    role_of,
};
pub use visible::{is_hidden_from_at, is_rendered, visible_text};
