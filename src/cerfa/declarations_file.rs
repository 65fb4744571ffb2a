//! A declared answer to a Cerfa criterion (value, comment, date, author): the types belong to
//! the declarations file ([`crate::declarations`]), which the Cerfa evaluation reads.

pub use crate::declarations::{Declarations, DeclarationsError, DeclaredAnswer, DeclaredValue};
