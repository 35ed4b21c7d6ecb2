//! Backrest (placeholder while being written).

/// Placeholder.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct BackrestCache {}
