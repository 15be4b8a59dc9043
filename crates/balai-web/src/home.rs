//! The network's front page: every village on this server and its population.

use axum::extract::State;
use axum::response::Html;
use serde::Serialize;

use crate::error::AppError;
use crate::state::AppState;

#[derive(Serialize)]
struct RegencyView {
    name: String,
    population: i64,
    families: i64,
    villages: Vec<VillageView>,
}

#[derive(Serialize)]
struct VillageView {
    kode: String,
    name: String,
    district: String,
    population: i64,
    families: i64,
}

/// `GET /`: villages grouped by regency, with aggregate counts only.
pub(crate) async fn page(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let summaries = balai_services::villages::summaries(&state.db).await?;
    let mut regencies: Vec<RegencyView> = Vec::new();
    for s in summaries {
        let v = VillageView {
            kode: s.village.kode.dotted(),
            name: s.village.name.clone(),
            district: s.village.district_name.clone(),
            population: s.population,
            families: s.families,
        };
        match regencies.last_mut() {
            Some(r) if r.name == s.village.regency_name => {
                r.population += v.population;
                r.families += v.families;
                r.villages.push(v);
            }
            _ => regencies.push(RegencyView {
                name: s.village.regency_name.clone(),
                population: v.population,
                families: v.families,
                villages: vec![v],
            }),
        }
    }
    #[derive(Serialize)]
    struct Page {
        regencies: Vec<RegencyView>,
    }
    let html = state.templates.render("home.html", Page { regencies })?;
    Ok(Html(html))
}
