//! The `pvz-server` command line: `serve` and the admin commands, each a thin call into the library.

mod audit;
mod claims;
mod conversation;
mod fleet;
mod pin;
mod returns;
mod shelf;

use crate::admin::{Admin, Role};
use crate::config::Config;
use crate::error::{Result, ServerError};
use crate::signing::Rotation;
use clap::{Parser, Subcommand};
use pin::{PinArgs, PIN_ENV};
use pvz_domain::{FeePolicy, Kopecks};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(name = "pvz-server", version, about = "PVZ central server: enrollment, sync, ledger")]
pub struct Cli {
    /// Data dir (database and signing key); overrides the config file.
    #[arg(long, global = true, env = "PVZ_SERVER_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// TOML config file (data_dir, database_url, bind, max_body_bytes).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// `postgres://user@host/db` (or a SQLite file path) instead of the data dir's SQLite file;
    /// overrides the config file.
    #[arg(long, global = true, env = "PVZ_SERVER_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Where attachments' bytes are kept: `s3://bucket/prefix` (with the `AWS_*` environment) or a
    /// directory; unset: `<data dir>/blobs`. Overrides the config file.
    #[arg(long, global = true, env = "PVZ_SERVER_BLOB_STORE_URL")]
    pub blob_store_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API until Ctrl-C. Refuses a database whose schema is behind this build's, unless
    /// --migrate.
    Serve {
        /// Apply pending migrations first (what `pvz-server migrate` does).
        #[arg(long)]
        migrate: bool,
    },
    /// Create the database or bring its schema up to date, printing each migration applied.
    Migrate,
    /// Write an online, consistent copy of the database to FILE, safe while servers run. A server
    /// started on the copy (after a restore) begins a new feed epoch at every point, once.
    Backup { file: PathBuf },
    /// After restoring the database by other means (pg_restore, a file copied back): start a new
    /// feed epoch at every point, as a server started on a backup's copy does.
    Restored,
    /// The fleet: each device's point, name, last sync, ops received, app and protocol, revocation.
    Devices {
        #[arg(long = "pickup-point", visible_alias = "point")]
        pickup_point: Option<String>,
    },
    /// Add a pickup point with its refusal-fee policy.
    AddPickupPoint {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        /// Fee in kopecks for a buyer-side refusal in a category without its own fee.
        #[arg(long, default_value_t = 0)]
        default_fee: i64,
        /// Per-category fee in kopecks, e.g. `--category-fee shoes=19900` (repeatable).
        #[arg(long, value_parser = parse_category_fee)]
        category_fee: Vec<(String, i64)>,
    },
    /// Print a fresh one-time enrollment code for a pickup point.
    EnrollmentCode {
        #[arg(long)]
        pickup_point: String,
        #[arg(long, default_value_t = 24)]
        ttl_hours: u64,
    },
    /// Add an employee with a PIN; prints the employee id (`badge <id>` then issues their badge). A
    /// manager's PIN is 4-8 digits and not trivial (no 0000, 1234, 4321). The PIN comes from
    /// --pin-stdin, --pin or PVZ_SERVER_PIN.
    AddEmployee {
        /// A chosen id (letters, digits, '-', '_'); a fresh one when omitted.
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        pickup_point: String,
        #[arg(long)]
        name: String,
        /// manager, courier or driver.
        #[arg(long, value_parser = |s: &str| Role::parse(s).ok_or("manager, courier or driver"))]
        role: Role,
        #[command(flatten)]
        pin: PinArgs,
    },
    /// Issue a new badge to an employee and print its code (`PVZE3.…`, the text of the badge's QR),
    /// signed by this server. The point's kiosks accept only the newest badge once they pull, so
    /// issuing one also revokes a lost badge.
    Badge {
        /// The employee id.
        employee: String,
        /// Print the current badge again (a reprint) instead of issuing a new one; nothing is revoked.
        #[arg(long)]
        reprint: bool,
    },
    /// Retire an employee: the point's kiosks refuse their badge after the next pull.
    RetireEmployee {
        #[arg(long)]
        employee: String,
    },
    /// Set an employee's PIN (a manager's: 4-8 digits, not trivial) from --pin-stdin, --pin or
    /// PVZ_SERVER_PIN; the point's kiosks get a manager's new PIN hash on their next pull.
    SetPin {
        #[arg(long)]
        employee: String,
        #[command(flatten)]
        pin: PinArgs,
    },
    /// Set a point's storage period and UTC offset (sent to its kiosks).
    SetStoragePolicy(shelf::SetStoragePolicy),
    /// Replace a point's cells (sent to its kiosks).
    SetCells(shelf::SetCells),
    /// Add a shipment the point should expect, with its orders; prints the shipment id and orders.
    AddShipment(shelf::AddShipment),
    /// Mark an order arrived at its point (its goods turned up after being recorded missing at receiving).
    ///
    /// For an order whose items were all recorded missing when its shipment was received (приёмка
    /// closed before they were scanned, or they came on a later truck) and that turned up later: no
    /// second receiving of the shipment is possible, and the kiosks refuse to issue an order that
    /// has not arrived. After this, the point's kiosks issue it once they sync. Its storage period
    /// counts from --at. Prints one line of confirmation.
    OrderArrived(shelf::OrderArrived),
    /// Cancel an order still waiting at its point; its kiosks drop it on their next pull. An issued
    /// order is refused (its money was taken at the counter: a return has its own flows).
    CancelOrder {
        #[arg(long)]
        order: String,
    },
    /// Print a point's shipments: each item's outcome and cell, and the discrepancies.
    Shipments {
        #[arg(long)]
        pickup_point: String,
    },
    /// Print a point's shifts with their report figures.
    Shifts {
        #[arg(long)]
        pickup_point: String,
    },
    /// Print a point's latest ops: device, operator, kind and outcome (the audit trail).
    Ops {
        #[arg(long)]
        pickup_point: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Claims (претензии): open, approve, reject, revoke, show.
    Claim {
        #[command(subcommand)]
        command: claims::ClaimCommand,
    },
    /// Print a new API credential for a seller (the previous one stops working).
    SellerCredential { seller: String },
    /// Print a new API credential for the marketplace's buyer front under NAME (opens claims and
    /// writes for buyers); an earlier one of that name stops working.
    BuyerFrontCredential { name: String },
    /// Print a new API credential for an operator under NAME (decides marketplace returns and
    /// disputes); an earlier one of that name stops working.
    OperatorCredential { name: String },
    /// Delete the personal data of claims finished more than N days ago: their conversation, the
    /// attachments no kept message names (rows and blobs), and the buyer's description. Money and
    /// decisions stay. Prints what it removed.
    PurgePersonalData {
        /// N; default: the config's `personal_data_retention_days` (1095).
        #[arg(long)]
        older_than_days: Option<u32>,
    },
    /// Put a doorstep delivery refused at the door on a courier's manifest; prints its order id.
    AddCourierRefusals(returns::AddCourierRefusals),
    /// Print the custody chain of a returned unit (by return id) or of an item (by item id).
    Custody { id: String },
    /// Add generated orders (for load tests).
    AddOrders {
        #[arg(long)]
        pickup_point: String,
        #[arg(long)]
        count: usize,
        /// Add them paid online at this time (RFC 3339): prepaid items, whose claims count 14 local
        /// days from it (the operator decides within them, the seller after). Without it the buyer
        /// pays at the counter.
        #[arg(long)]
        paid_at: Option<String>,
    },
    /// Seed the demo network and print enrollment codes and codes to try.
    Demo {
        #[arg(long)]
        json: bool,
    },
    /// Ledger commands.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Revoke a device: its next sync call is refused.
    RevokeDevice {
        #[arg(long)]
        device: String,
    },
    /// Let a kiosk that lost its device credential continue its device (and its seq, so its queued
    /// ops still line up) with a fresh enrollment code of the device's point, without the old secret.
    /// The old credential keeps working until then; the next enrollment that names the device ends
    /// the reset.
    ResetDeviceSecret {
        #[arg(long)]
        device: String,
    },
    /// Start a new feed epoch: the point's kiosks rebuild their caches on the next pull.
    ResetFeed {
        #[arg(long)]
        pickup_point: String,
    },
    /// Rotate the network's signing key. First step: create the next key, endorsed by the active
    /// one; every point's kiosks pull it and accept codes signed by either key. Second step, once the
    /// kiosks have synced (and are of a release that knows rotation): `--activate` makes the next
    /// key the one that signs; every server on the database switches without a restart.
    RotateKey {
        #[arg(long)]
        activate: bool,
    },
    /// Print the OpenAPI document (regenerates crates/pvz-server/openapi.json).
    Openapi,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Verify the ledger's invariants; exits non-zero and lists problems when broken.
    Check,
}

fn parse_category_fee(raw: &str) -> std::result::Result<(String, i64), String> {
    let (category, fee) = raw.split_once('=').ok_or("expected category=kopecks")?;
    if category.trim().is_empty() {
        return Err("the category name is empty; expected category=kopecks".into());
    }
    Ok((category.to_owned(), fee.parse().map_err(|_| "the fee must be whole kopecks")?))
}

/// The PIN the command's flags name, else `PVZ_SERVER_PIN`'s.
fn read_pin(args: PinArgs) -> Result<String> {
    args.read(std::env::var(PIN_ENV).ok(), std::io::stdin().lock())
}

pub async fn run(cli: Cli) -> Result<ExitCode> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(dir) = cli.data_dir {
        config.data_dir = dir;
    }
    if let Some(url) = cli.database_url.filter(|u| !u.is_empty()) {
        config.database_url = Some(url);
    }
    if let Some(url) = cli.blob_store_url.filter(|u| !u.is_empty()) {
        config.blob_store_url = Some(url);
    }
    if let Command::Serve { migrate } = cli.command {
        config.migrate |= migrate;
        crate::startup::serve(config).await?;
        return Ok(ExitCode::SUCCESS);
    }
    // Admin commands are short synchronous database work.
    tokio::task::spawn_blocking(move || admin_command(&config, cli.command)).await?
}

fn admin_command(config: &Config, command: Command) -> Result<ExitCode> {
    if let Command::Openapi = command {
        print!("{}", crate::api::openapi::document_json());
        return Ok(ExitCode::SUCCESS);
    }
    // Upkeep opens the database itself: migrating, copying or marking it is the command's whole point.
    match &command {
        Command::Migrate => {
            let migrated = crate::upkeep::migrate(&config.database()?)?;
            for name in &migrated.applied {
                println!("applied {name}");
            }
            if migrated.applied.is_empty() {
                println!("the schema is up to date");
            }
            if let Some(points) = migrated.restored_points {
                println!("restored from a backup: {points} points start a new feed epoch");
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Backup { file } => {
            let bytes = crate::upkeep::backup(&config.database()?, file)?;
            println!("backed up {:?} to {} ({bytes} bytes)", config.database()?, file.display());
            return Ok(ExitCode::SUCCESS);
        }
        Command::Restored => {
            let points = crate::upkeep::mark_restored(&config.database()?)?;
            println!("{points} points start a new feed epoch; their kiosks rebuild their caches on the next pull");
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let admin = Admin::open_database(&config.data_dir, &config.database()?)?
        .with_claim_code_ttl(config.claim_code_ttl())
        .with_blob_store(config.blob_store()?);
    match command {
        Command::Serve { .. } | Command::Openapi | Command::Migrate | Command::Backup { .. } | Command::Restored => {}
        Command::Devices { pickup_point } => print!("{}", fleet::devices_text(&admin, pickup_point.as_deref())?),
        Command::AddPickupPoint { id, name, default_fee, category_fee } => {
            let per_category = category_fee.into_iter().map(|(c, f)| (c, Kopecks(f))).collect();
            admin.add_pickup_point(&id, &name, &FeePolicy { default_fee: Kopecks(default_fee), per_category })?;
            println!("added pickup point {id}");
        }
        Command::EnrollmentCode { pickup_point, ttl_hours } => {
            println!("{}", admin.issue_enrollment_code(&pickup_point, Duration::from_secs(ttl_hours * 3600))?);
        }
        Command::AddEmployee { id, pickup_point, name, role, pin } => {
            let pin = read_pin(pin)?;
            let id = match id {
                Some(id) => admin.add_employee_as(&id, &pickup_point, &name, role, &pin)?,
                None => admin.add_employee(&pickup_point, &name, role, &pin)?,
            };
            println!("{id}");
        }
        Command::Badge { employee, reprint } => {
            let badge = if reprint {
                admin.current_badge(&employee)?.ok_or_else(|| {
                    ServerError::NotFound(format!(
                        "no badge was issued to {employee} yet: run `pvz-server badge {employee}`"
                    ))
                })?
            } else {
                admin.issue_badge(&employee)?
            };
            println!("{}", badge.code);
            if !reprint {
                eprintln!(
                    "badge no. {} of {employee}: older badges are refused once the point's kiosks sync",
                    badge.serial
                );
            }
        }
        Command::RetireEmployee { employee } => {
            admin.retire_employee(&employee)?;
            println!("retired {employee}");
        }
        Command::SetPin { employee, pin } => {
            admin.set_employee_pin(&employee, &read_pin(pin)?)?;
            println!("set the PIN of {employee}");
        }
        Command::SetStoragePolicy(args) => shelf::set_storage_policy(&admin, args)?,
        Command::SetCells(args) => shelf::set_cells(&admin, args)?,
        Command::AddShipment(args) => shelf::add_shipment(&admin, args)?,
        Command::OrderArrived(args) => shelf::order_arrived(&admin, args)?,
        Command::CancelOrder { order } => {
            admin.cancel_order(&order)?;
            println!("cancelled order {order}");
        }
        Command::Shipments { pickup_point } => print!("{}", shelf::shipments_text(&admin, &pickup_point)?),
        Command::Shifts { pickup_point } => print!("{}", audit::shifts_text(&admin, &pickup_point)?),
        Command::Ops { pickup_point, limit } => print!("{}", audit::ops_text(&admin, &pickup_point, limit)?),
        Command::Claim { command } => claims::run(&admin, command)?,
        Command::SellerCredential { seller } => println!("{}", admin.issue_seller_credential(&seller)?),
        Command::BuyerFrontCredential { name } => {
            println!("{}", admin.issue_party_credential(crate::credentials::PartyKind::BuyerFront, &name)?)
        }
        Command::OperatorCredential { name } => {
            println!("{}", admin.issue_party_credential(crate::credentials::PartyKind::Operator, &name)?)
        }
        Command::PurgePersonalData { older_than_days } => {
            let days = older_than_days.unwrap_or(config.personal_data_retention_days);
            print!("{}", conversation::purged_text(&admin.purge_personal_data(days)?));
        }
        Command::AddCourierRefusals(args) => returns::add_courier_refusals(&admin, args)?,
        Command::Custody { id } => {
            let units = admin.custody(&id)?;
            if units.is_empty() {
                return Err(ServerError::NotFound(format!("no returned unit or item {id} is in custody")));
            }
            print!("{}", returns::custody_text(&units));
        }
        Command::AddOrders { pickup_point, count, paid_at } => {
            let ids = match paid_at {
                Some(at) => admin.add_paid_demo_orders(&pickup_point, count, &at)?,
                None => admin.add_demo_orders(&pickup_point, count)?,
            };
            println!("added {} orders to {pickup_point}", ids.len());
        }
        Command::Demo { json } => {
            let report = crate::demo::seed(&admin)?;
            if json {
                let text = serde_json::to_string_pretty(&report).map_err(|e| ServerError::Internal(e.to_string()))?;
                println!("{text}");
            } else {
                print!("{}", report.to_text());
            }
        }
        Command::Ledger { command: LedgerCommand::Check } => {
            let report = admin.ledger_check()?;
            println!(
                "{} transactions, {} entries, total {} kopecks, turnover {} kopecks",
                report.transactions, report.entries, report.total, report.turnover
            );
            if report.unreconciled_cash != 0 {
                println!(
                    "{} held at pickup points for rejected ops, awaiting reconciliation",
                    Kopecks(report.unreconciled_cash)
                );
            }
            if !report.is_ok() {
                for problem in &report.problems {
                    eprintln!("problem: {problem}");
                }
                return Ok(ExitCode::FAILURE);
            }
            println!("ledger ok");
        }
        Command::RevokeDevice { device } => {
            admin.revoke_device(&device)?;
            println!("revoked {device}");
        }
        Command::ResetDeviceSecret { device } => {
            admin.reset_device_secret(&device)?;
            println!(
                "{device}: the next enrollment with a code of its pickup point continues it without the old secret"
            );
        }
        Command::ResetFeed { pickup_point } => {
            println!("{pickup_point} is now at feed epoch {}", admin.reset_feed(&pickup_point)?);
        }
        Command::RotateKey { activate: false } => match admin.rotate_key()? {
            Rotation::Created { public_key } => println!(
                "next signing key {public_key} created and sent to the kiosks; once they have synced, run \
                 `pvz-server rotate-key --activate`"
            ),
            Rotation::AlreadyWaiting { public_key } => println!(
                "next signing key {public_key} already waits; activate it with `pvz-server rotate-key --activate`"
            ),
        },
        Command::RotateKey { activate: true } => match admin.activate_next_key()? {
            Some(public_key) => println!("signing key {public_key} is active"),
            None => {
                eprintln!("pvz-server: no next key waits; run `pvz-server rotate-key` first");
                return Ok(ExitCode::FAILURE);
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_fee_needs_a_category_name() {
        assert_eq!(parse_category_fee("shoes=19900"), Ok(("shoes".to_owned(), 19_900)), "the usual form parses");
        for blank in ["=100", " =100"] {
            let err = parse_category_fee(blank).expect_err("no category name");
            assert!(err.contains("category name is empty"), "{blank:?} is refused clearly: {err}");
        }
    }
}
