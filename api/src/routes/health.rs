//! `/healthz`: the process is up. Static on purpose: benchmarks use it as the baseline of
//! what the server costs without touching storage.

use actix_web::HttpResponse;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}
