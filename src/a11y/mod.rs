//! Shared accessibility knowledge computed once and used by every rule ("commons" in axe-core):
//! accessible names, roles, hidden state.

pub mod accname;
pub mod aria;
pub mod focus;
pub mod relevance;
pub mod roles;

pub use accname::accessible_name;
pub use focus::is_tabbable;
pub use roles::{
    global_aria_attrs, implicit_role, is_focusable, is_hidden_below, is_hidden_from_at,
    presentational_role_applies, resolved_role, role_of,
};
