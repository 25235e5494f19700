//! The pages whose code loads on demand: home, the history and the two
//! compare views (split points; see `components::lazy` for how they work).
//! The run page is not among them: it is what a first load must paint.

use crate::components::lazy::split_view;
use leptos::prelude::*;

split_view!(
    /// Loads `/`.
    home, home_page, view! { <super::home::HomePage /> }
);
split_view!(
    /// Loads `/blueprints/:id`.
    history, history_page, view! { <super::history::HistoryPage /> }
);
split_view!(
    /// Loads `/compare/:a/:b`.
    compare, compare_page, view! { <super::compare::ComparePage /> }
);
split_view!(
    /// Loads `/blueprints/:bp/compare/:run`.
    compare_previous, compare_previous_page,
    view! { <super::compare_previous::ComparePreviousPage /> }
);
