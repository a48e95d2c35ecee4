//! Validators: uk (being written).

use super::Validator;

pub const VALIDATORS: &[(&str, Validator)] = &[];
