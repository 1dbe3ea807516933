//! A small HTTP server on 127.0.0.1 for tests that need scimgate's counterpart (a tenant's
//! authorization server, a webhook receiver): it runs in the background and is reached by
//! its port.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::{App, HttpServer, web};

/// Serves `routes` with `state` as their `web::Data` on `workers` threads; returns the port.
pub fn serve<S: Send + Sync + 'static>(
    state: Arc<S>,
    workers: usize,
    routes: fn(&mut web::ServiceConfig),
) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("a bound address").port();
    let data = web::Data::from(state);
    let server = HttpServer::new(move || App::new().app_data(data.clone()).configure(routes))
        .workers(workers)
        .listen(listener)
        .expect("listens")
        .run();
    tokio::spawn(server);
    port
}
