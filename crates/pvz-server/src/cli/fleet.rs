//! `pvz-server devices`: the operator's fleet view, one line per device.

use crate::admin::Admin;
use crate::db::devices::DeviceSummary;
use crate::error::Result;

/// A header line, then each device: id, point, name, last sync (UTC), ops received, app, protocol,
/// and whether it is revoked. Tab-separated, so `column -t -s $'\t'` or a spreadsheet lines it up.
pub fn devices_text(admin: &Admin, point: Option<&str>) -> Result<String> {
    let devices = admin.devices(point)?;
    if devices.is_empty() {
        return Ok(match point {
            Some(point) => format!("no devices at {point}\n"),
            None => "no devices\n".to_owned(),
        });
    }
    let mut out = "device\tpoint\tname\tlast sync\tops received\tapp\tprotocol\tstate\n".to_owned();
    for d in &devices {
        out.push_str(&device_line(d));
    }
    Ok(out)
}

fn device_line(d: &DeviceSummary) -> String {
    let never = || "never".to_owned();
    let last_sync = d
        .last_sync
        .at
        .and_then(|at| chrono::DateTime::from_timestamp(at, 0))
        .map_or_else(never, |t| t.format("%Y-%m-%d %H:%M:%SZ").to_string());
    let app = d.last_sync.app_version.clone().unwrap_or_else(|| "-".to_owned());
    let protocol = d.last_sync.protocol.map_or_else(|| "-".to_owned(), |p| p.to_string());
    let state = match &d.revoked_at {
        Some(at) => format!("revoked {at}"),
        None => "active".to_owned(),
    };
    format!(
        "{}\t{}\t{}\t{last_sync}\t{}\t{app}\t{protocol}\t{state}\n",
        d.device_id, d.pickup_point_id, d.name, d.ops_received
    )
}
