//! Punctuation width: extraction folds full-width marks to ASCII.
