//! Real `pvz-server serve` processes, each on its own loopback port with a data dir of its own,
//! sharing only the PostgreSQL database (the network's signing key included), as several stateless
//! instances behind a load balancer run.

use crate::network::Network;
use crate::processes::{Launch, ServerProcess};
use std::path::Path;

/// Starts `count` instances on the network, one after another, each with the data dir
/// `instance-<i>` in the network's temp dir; panics with the log of one that does not start.
pub fn start_instances(binary: &Path, net: &Network, count: usize) -> Vec<ServerProcess> {
    (0..count)
        .map(|i| {
            let data_dir = net.dir(&format!("instance-{i}"));
            let launch =
                Launch { data_dir: &data_dir, database_url: net.database_url(), core: None, log_level: Some("warn") };
            ServerProcess::start(binary, &launch).unwrap_or_else(|e| panic!("instance {i}: {e}"))
        })
        .collect()
}
