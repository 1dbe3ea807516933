//! The HTTP/1 server: what `actix_web::HttpServer::listen` builds, with `HeadGuard` reading
//! each request head of a connection before actix-http does. `HttpServer` offers no way to put
//! anything between the socket and actix-http's dispatcher, whose answer to a head past its
//! fixed ceilings is a bodiless 400 or 431, so the pieces it is made of are put together here,
//! with its defaults (timeouts, keep-alive, half-close, workers, signals).

use std::net::{SocketAddr, TcpListener};
use std::rc::Rc;
use std::time::Duration;

use actix_http::{HttpService, KeepAlive, Request};
use actix_server::Server;
use actix_service::{IntoServiceFactory, Service, ServiceFactory, ServiceFactoryExt, fn_factory};
use actix_service::{fn_service, map_config};
use actix_web::HttpResponse;
use actix_web::body::MessageBody;
use actix_web::dev::AppConfig;

use crate::head_guard::{Admitted, HeadGuard};

/// `HttpServer`'s defaults, which scimgate has always run with.
pub const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
pub const CLIENT_DISCONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Serves `app` (one instance per worker) on `listener`, each request head checked against
/// `guard` first.
pub fn serve<F, I, S, B>(
    listener: TcpListener,
    guard: HeadGuard,
    shutdown_timeout: Duration,
    app: F,
) -> std::io::Result<Server>
where
    F: Fn() -> I + Send + Clone + 'static,
    I: IntoServiceFactory<S, Request>,
    S: ServiceFactory<Request, Config = AppConfig, InitError = ()> + 'static,
    S::Error: Into<actix_web::Error> + 'static,
    S::Response: Into<actix_http::Response<B>> + 'static,
    S::Service: 'static,
    <S::Service as Service<Request>>::Future: 'static,
    B: MessageBody + 'static,
{
    let addr = listener.local_addr()?;
    let builder =
        actix_server::ServerBuilder::default().shutdown_timeout(shutdown_timeout.as_secs());
    let shutdown = builder.graceful_shutdown_signal();
    let builder = builder.listen(format!("scimgate-{addr}"), listener, move || {
        let shutdown = shutdown.clone();
        let guard = guard.clone();
        let h1 = HttpService::build()
            .graceful_shutdown_signal(move || {
                let signal = shutdown.clone();
                async move { signal.notified().await }
            })
            .keep_alive(KeepAlive::default())
            .client_request_timeout(guard.request_timeout)
            .client_disconnect_timeout(guard.disconnect_timeout)
            .h1_allow_half_closed(true)
            .local_addr(addr)
            .h1(map_config(
                app().into_factory().map_err(|err| {
                    let response: HttpResponse = err.into().error_response();
                    response
                }),
                move |_| app_config(addr),
            ));
        fn_factory(move || {
            let guard = guard.clone();
            let h1 = h1.new_service(());
            async move {
                let h1 = Rc::new(h1.await?);
                Ok::<_, ()>(fn_service(move |stream| {
                    let h1 = Rc::clone(&h1);
                    let guard = guard.clone();
                    async move {
                        match guard.admit(stream).await {
                            Admitted::Serve(io, peer) => h1.call((io, peer)).await,
                            Admitted::Done => Ok(()),
                        }
                    }
                }))
            }
        })
    })?;
    Ok(builder.run())
}

/// What `HttpServer` hands the app: plain HTTP, the listening address as host of last resort
/// (HTTP/1.0 requests without `Host`). actix-web keeps `AppConfig::new` to itself and exposes
/// this constructor for its own test server; a change to it fails the build here, not silently.
fn app_config(addr: SocketAddr) -> AppConfig {
    AppConfig::__priv_test_new(false, addr.to_string(), addr)
}
