//! A raw HTTP/1.1 server on 127.0.0.1, for answers no well-behaved server gives on purpose:
//! resets, silence, trickles, endless bodies, exact bytes.

use std::future::Future;

use serde_json::json;
use tokio::{
    io::AsyncReadExt,
    net::{TcpListener, TcpStream},
};

/// Starts a server on 127.0.0.1 that reads each request head and hands the connection to
/// `answer`, with the connection's number (0 for the first). Returns its base URL.
pub async fn raw_server<F, Fut>(answer: F) -> String
where
    F: Fn(usize, TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("can bind 127.0.0.1");
    let url = format!(
        "http://{}",
        listener
            .local_addr()
            .expect("a bound listener has an address")
    );
    tokio::spawn(async move {
        let mut number = 0;
        while let Ok((mut stream, _)) = listener.accept().await {
            read_head(&mut stream).await;
            tokio::spawn(answer(number, stream));
            number += 1;
        }
    });
    url
}

/// Reads until the end of a request head (the GETs these servers answer have no body).
async fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut buffer = [0_u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
}

/// A whole HTTP/1.1 response: `status` with its reason, `content_type`, `Content-Length`,
/// `Connection: close`, then any `extra_headers` lines (each without its line end), then `body`.
pub fn http_message(
    status: u16,
    content_type: &str,
    extra_headers: &[&str],
    body: &[u8],
) -> Vec<u8> {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|status| status.canonical_reason())
        .unwrap_or("Unknown");
    let mut message = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         connection: close\r\n",
        body.len()
    );
    for header in extra_headers {
        message.push_str(header);
        message.push_str("\r\n");
    }
    message.push_str("\r\n");
    let mut message = message.into_bytes();
    message.extend_from_slice(body);
    message
}

/// A sink connector's offsets body: connector [`CONNECTOR`](crate::CONNECTOR), one partition
/// of `orders` at offset 7.
pub fn sink_body() -> Vec<u8> {
    json!({
        "name": crate::CONNECTOR,
        "id": "lcc-1",
        "offsets": [{"partition": {"kafka_topic": "orders", "kafka_partition": 0}, "offset": {"kafka_offset": 7}}],
        "metadata": {"observed_at": "2024-02-20T15:14:19Z"}
    })
    .to_string()
    .into_bytes()
}
