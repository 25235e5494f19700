use crate::components::near_view::use_near_view;
use leptos::prelude::*;

/// An output's image that costs nothing until it comes near the screen: it
/// has no `src` until then ([`use_near_view`]), and it is lazy for the
/// browser too, decoded off the main thread, sent with no referrer, and
/// sized from the start (`width`/`height`), so nothing moves as it loads.
/// An `eager` image (the one the person is looking at, often the page's
/// largest paint) is requested at once and first.
#[component]
pub fn MediaImg(
    /// The element's class.
    class: &'static str,
    /// The image's URL, already checked by [`crate::model::url::safe_url`].
    src: String,
    /// The alternative text (`""` when a labelled button around it names it).
    #[prop(into)]
    alt: String,
    /// The intrinsic width, for the box reserved before it loads.
    width: u32,
    /// The intrinsic height.
    height: u32,
    /// Requested at once and with high priority, not when near the screen:
    /// the image the person is looking at (the hero, the viewer).
    #[prop(optional)]
    eager: bool,
) -> impl IntoView {
    let img = NodeRef::<leptos::html::Img>::new();
    let near = if eager {
        Signal::stored(true)
    } else {
        use_near_view(img)
    };
    view! {
        <img node_ref=img class=class src=move || near.get().then(|| src.clone()) alt=alt
            loading=if eager { "eager" } else { "lazy" } fetchpriority=eager.then_some("high")
            decoding="async" referrerpolicy="no-referrer" width=width height=height />
    }
}
