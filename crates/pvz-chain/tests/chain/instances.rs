//! Three real server processes on one PostgreSQL database (and nothing else shared: each has its own
//! data dir) behind a round-robin balancer that loses some push replies after the server acted:
//! each retry lands on an instance that did not apply the original, and still every op is applied
//! once and every payment posted once. Every instance hands out the network's one signing key, and a
//! device revoked in the database is refused by every instance on its next call, whatever it
//! served before.

use crate::common::*;
use pvz_chain::instances::start_instances;
use pvz_chain::network::{Network, POINT};
use pvz_chain::proxy::LossyProxy;
use pvz_protocol::sync::PATH_PUSH;
use std::sync::Arc;
use std::time::Instant;

const KIOSKS: u32 = 3;
const ORDERS_PER_KIOSK: u32 = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_behind_a_balancer_that_loses_push_replies_apply_every_op_once() {
    let started = Instant::now();
    let orders = KIOSKS * ORDERS_PER_KIOSK;
    let net = Network::prepare(Some(pvz_testdb::cluster().create_database()), orders);
    let mut instances = start_instances(server_binary(), &net, 3);
    let proxy = LossyProxy::round_robin(instances.iter().map(|i| i.addr).collect()).await.expect("balancer starts");
    let mut kiosks = Vec::new();
    for k in 0..KIOSKS {
        let path = net.kiosk_path(&format!("kiosk-{k}"));
        kiosks.push(Arc::new(net.enrolled_kiosk(&path, &proxy.url()).await));
    }

    proxy.lose_one_in(PATH_PUSH, 4);
    let counters: Vec<_> = (0..KIOSKS)
        .map(|k| {
            let kiosk = kiosks[k as usize].clone();
            tokio::spawn(async move {
                for n in k * ORDERS_PER_KIOSK..(k + 1) * ORDERS_PER_KIOSK {
                    issue_orders(&kiosk, n..n + 1).await;
                    // A pass whose reply was lost fails; the next one resends.
                    let _ = pvz_kiosk_core::sync::sync_until_idle(&kiosk, &pvz_chain::network::client_config()).await;
                }
                drain(&kiosk).await;
            })
        })
        .collect();
    for counter in counters {
        counter.await.expect("a kiosk's counter work and sync finish");
    }

    let lost = proxy.lost();
    assert!(lost >= 5, "the balancer lost several push replies after the server acted, got {lost}");
    assert_eq!(proxy.moved_after_loss(), lost, "every resend after a lost reply went to another instance");
    let per_instance = proxy.forwarded_per_upstream();
    assert!(per_instance.iter().all(|n| *n > 0), "every instance served requests: {per_instance:?}");
    let statuses = proxy.statuses();
    assert_eq!(statuses.keys().copied().collect::<Vec<_>>(), [200], "every call was answered 200: {statuses:?}");
    for (i, instance) in instances.iter_mut().enumerate() {
        assert!(instance.is_running(), "instance {i} still runs");
        let log = instance.log_text();
        assert!(!log.contains("ERROR"), "instance {i} logged no error:\n{log}");
    }
    assert_every_op_applied_once(&net, &kiosks, orders);
    println!("3 instances, {KIOSKS} kiosks, {lost} lost replies: {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_instance_signs_with_one_key_and_refuses_a_device_revoked_in_the_database() {
    let net = Network::prepare(Some(pvz_testdb::cluster().create_database()), 1);
    let instances = start_instances(server_binary(), &net, 3);
    let mut enrolled = Vec::new();
    for instance in &instances {
        enrolled.push(enroll_raw(&net, &instance.url()).await);
    }
    let keys: Vec<_> = enrolled.iter().map(|e| e.enrollment.server_public_key.as_str()).collect();
    assert!(keys.iter().all(|k| *k == keys[0]), "every instance gives kiosks the network's one key: {keys:?}");

    let device = enrolled[0].enrollment.device_id.to_string();
    let credential = enrolled[0].credential.as_deref().expect("a server-made credential");
    for (i, instance) in instances.iter().enumerate() {
        let pulled = pull_raw(&instance.url(), credential).await;
        assert_eq!(pulled.status().as_u16(), 200, "instance {i} serves the enrolled device before the revocation");
    }
    net.admin().revoke_device(&device).expect("the device is revoked in the shared database");
    for (i, instance) in instances.iter().enumerate() {
        let refused = pull_raw(&instance.url(), credential).await;
        assert_eq!(refused.status().as_u16(), 401, "instance {i} refuses the revoked device on its next call");
        let body: serde_json::Value = refused.json().await.expect("an ApiError body");
        assert_eq!(body["code"], "unauthorized", "instance {i} says the credential is refused: {body}");
    }
    let counts = net.admin().op_counts(&device).expect("op counts");
    assert_eq!(counts.last_seq, 0, "the revoked device stored nothing at {POINT}");
    let other = pull_raw(&instances[0].url(), enrolled[1].credential.as_deref().expect("a credential")).await;
    assert_eq!(other.status().as_u16(), 200, "a device not revoked is still served");
}
