//! One simulated kiosk's keep-alive HTTP/1 connection to the server: requests go one after another
//! on it, as a kiosk's sync client sends them, with the protocol header every sync call carries. A
//! connection that broke is opened again by the next request.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use pvz_protocol::sync::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use std::net::SocketAddr;
use tokio::net::TcpStream;

pub struct Conn {
    addr: SocketAddr,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Conn {
    /// Not connected yet: the first request connects.
    pub fn new(addr: SocketAddr) -> Conn {
        Conn { addr, sender: None }
    }

    /// Closes the connection (the next request opens a new one), so a phase that does not use it
    /// holds no socket.
    pub fn close(&mut self) {
        self.sender = None;
    }

    /// One request; its status and whole body. An I/O error closes the connection.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> std::io::Result<(StatusCode, Bytes)> {
        let result = self.try_send(method, path, headers, body).await;
        if result.is_err() {
            self.sender = None;
        }
        result
    }

    async fn try_send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> std::io::Result<(StatusCode, Bytes)> {
        let sender = match &mut self.sender {
            Some(sender) if !sender.is_closed() => sender,
            _ => self.sender.insert(connect(self.addr).await?),
        };
        sender.ready().await.map_err(std::io::Error::other)?;
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.addr.to_string())
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(Full::new(Bytes::from(body))).map_err(std::io::Error::other)?;
        let response = sender.send_request(request).await.map_err(std::io::Error::other)?;
        let status = response.status();
        let body = response.into_body().collect().await.map_err(std::io::Error::other)?.to_bytes();
        Ok((status, body))
    }
}

async fn connect(addr: SocketAddr) -> std::io::Result<SendRequest<Full<Bytes>>> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(std::io::Error::other)?;
    tokio::spawn(connection);
    Ok(sender)
}
