use super::*;
use std::collections::HashMap;

const SYSTEM: &str = "/etc/pvz-kiosk/kiosk.toml";
const USER: &str = "/home/counter/.config/pvz-kiosk/kiosk.toml";

fn parse(path: &str, text: &str) -> (Layer, Vec<ConfigProblem>) {
    let mut problems = Vec::new();
    let layer = parse_file(Path::new(path), text, &mut problems);
    (layer, problems)
}

fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let vars: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    move |name: &str| vars.get(name).cloned()
}

/// Merges the system file, the user's file and the environment as `load` does.
fn merged(system: &str, user: &str, env: &[(&str, &str)]) -> LoadedConfig {
    let mut problems = Vec::new();
    let system_layer = parse_file(Path::new(SYSTEM), system, &mut problems);
    let user_layer = parse_file(Path::new(USER), user, &mut problems);
    let env_layer = env_layer(&env_of(env), &mut problems);
    let config =
        merge(Path::new(SYSTEM), system_layer, [(Some(Path::new(USER)), user_layer), (None, env_layer)], &mut problems);
    LoadedConfig { config, problems }
}

#[test]
fn every_key_of_the_example_file_is_read() {
    let example = include_str!("../../../../packaging/kiosk/kiosk.toml");
    let uncommented: String = example
        .lines()
        .map(|line| line.strip_prefix("# ").filter(|rest| rest.contains(" = ")).unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    let (layer, problems) = parse(SYSTEM, &uncommented);
    assert_eq!(problems, vec![], "the example file, every key uncommented, is a valid configuration");
    let config = layer.into_config();
    assert!(config.server_url.is_some(), "the example documents server_url");
    assert!(config.enroll_code.is_some(), "the example documents enroll_code");
    assert!(config.device_name.is_some(), "the example documents device_name");
    assert!(config.autostart.is_some(), "the example documents autostart");
    assert!(config.default_printer.is_some(), "the example documents default_printer");
    assert!(config.language.is_some(), "the example documents language");
    assert!(config.data_dir.is_some(), "the example documents data_dir");
    let (as_shipped, problems) = parse(SYSTEM, example);
    assert_eq!(problems, vec![], "the example file as shipped is valid");
    assert_eq!(as_shipped.kiosk_mode, Some(false), "as shipped, the example leaves kiosk mode off");
}

#[test]
fn the_users_file_overrides_the_system_file_and_the_environment_overrides_both() {
    let loaded = merged(
        "server_url = \"https://pvz.example.ru\"\nlanguage = \"ru\"\ndefault_printer = \"Zebra\"\n",
        "language = \"en\"\ndefault_printer = \"Xprinter\"\n",
        &[("PVZ_PRINTER", "Godex"), ("PVZ_DATA_DIR", "/srv/kiosk")],
    );
    assert_eq!(loaded.problems, vec![], "nothing is wrong");
    let config = loaded.config;
    assert_eq!(config.server_url.as_deref(), Some("https://pvz.example.ru"), "a key only the system file sets is kept");
    assert_eq!(config.language, Some(Language::En), "the user's file overrides the system file's language");
    assert_eq!(config.default_printer.as_deref(), Some("Godex"), "the environment overrides both files");
    assert_eq!(config.data_dir, Some(PathBuf::from("/srv/kiosk")), "PVZ_DATA_DIR still moves the store");
    assert!(!config.kiosk_mode, "kiosk mode is off unless a layer switches it on");
    assert!(!config.autostart(), "autostart follows kiosk mode when not set");
}

#[test]
fn nothing_configured_is_the_plain_counter() {
    let loaded = merged("", "", &[]);
    assert_eq!(loaded, LoadedConfig::default(), "no files and no variables: defaults and no problems");
}

#[test]
fn the_environment_variables_of_before_keep_working() {
    let loaded = merged(
        "",
        "",
        &[("PVZ_SERVER_URL", "http://127.0.0.1:8787"), ("PVZ_ENROLL_CODE", "ENR-1"), ("PVZ_DEVICE_NAME", "Касса 2")],
    );
    assert_eq!(loaded.problems, vec![], "valid variables");
    assert_eq!(loaded.config.server_url.as_deref(), Some("http://127.0.0.1:8787"), "PVZ_SERVER_URL");
    assert_eq!(loaded.config.enroll_code.as_deref(), Some("ENR-1"), "PVZ_ENROLL_CODE");
    assert_eq!(loaded.config.device_name.as_deref(), Some("Касса 2"), "PVZ_DEVICE_NAME");
}

#[test]
fn a_bad_url_is_one_problem_naming_the_file_and_the_key_and_the_other_keys_still_count() {
    let (layer, problems) = parse(SYSTEM, "server_url = \"pvz.example.ru\"\nkiosk_mode = true\n");
    assert_eq!(problems.len(), 1, "one wrong value, one problem: {problems:?}");
    let shown = problems[0].to_string();
    assert!(shown.starts_with(&format!("{SYSTEM}: server_url: ")), "names the file and the key: {shown}");
    assert!(shown.contains("https://"), "says what is allowed: {shown}");
    assert_eq!(layer.server_url, None, "the wrong address is not used");
    assert_eq!(layer.kiosk_mode, Some(true), "the file's other keys still count");
}

#[test]
fn an_unknown_key_is_one_problem_listing_the_allowed_keys() {
    let (layer, problems) = parse(USER, "langauge = \"en\"\ndefault_printer = \"Zebra\"\n");
    assert_eq!(problems.len(), 1, "one unknown key, one problem: {problems:?}");
    let shown = problems[0].to_string();
    assert!(shown.starts_with(&format!("{USER}: langauge: ")), "names the file and the misspelt key: {shown}");
    assert!(shown.contains("language") && shown.contains("kiosk_mode"), "lists the keys allowed: {shown}");
    assert_eq!(layer.default_printer.as_deref(), Some("Zebra"), "the rest of the file is read");
}

#[test]
fn a_wrong_type_is_one_problem_naming_the_key_and_the_type_expected() {
    let (layer, problems) = parse(SYSTEM, "language = \"en\"\nkiosk_mode = \"yes\"\n");
    assert_eq!(problems.len(), 1, "one wrong type, one problem: {problems:?}");
    let shown = problems[0].to_string();
    assert!(shown.starts_with(&format!("{SYSTEM}: kiosk_mode: ")), "names the file and the key: {shown}");
    assert!(shown.contains("boolean"), "says a boolean is expected: {shown}");
    assert_eq!(layer.kiosk_mode, None, "kiosk mode keeps its default");
    assert_eq!(layer.language, Some(Language::En), "the rest of the file is read");
}

#[test]
fn an_unknown_language_is_one_problem_listing_the_languages() {
    let (layer, problems) = parse(SYSTEM, "language = \"de\"\n");
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 1, "one problem: {shown:?}");
    assert!(shown[0].starts_with(&format!("{SYSTEM}: language: ")), "names the file and the key: {shown:?}");
    assert!(shown[0].contains("\"ru\", \"en\""), "lists the languages: {shown:?}");
    assert_eq!(layer.language, None, "the window keeps its own language");
}

#[test]
fn several_wrong_keys_are_each_reported_once() {
    let (layer, problems) =
        parse(SYSTEM, "kiosk_mode = 1\ncolour = \"red\"\nlanguage = \"fr\"\ndefault_printer = \"Zebra\"\n");
    let mut keys: Vec<_> = problems.iter().map(|p| p.key.clone().unwrap_or_default()).collect();
    keys.sort();
    assert_eq!(keys, ["colour", "kiosk_mode", "language"], "each wrong key once: {problems:?}");
    assert_eq!(layer.default_printer.as_deref(), Some("Zebra"), "the valid key still counts");
}

#[test]
fn a_file_that_is_not_toml_is_one_problem_and_none_of_it_is_used() {
    let (layer, problems) = parse(SYSTEM, "kiosk_mode = true\nserver_url = https://pvz.example.ru\n");
    assert_eq!(problems.len(), 1, "one problem for the file: {problems:?}");
    let shown = problems[0].to_string();
    assert!(shown.starts_with(SYSTEM) && shown.contains("line 2"), "names the file and the line: {shown}");
    assert_eq!(layer, Layer::default(), "nothing of a file that cannot be read as a whole is used");
}

#[test]
fn a_wrong_environment_variable_is_named_and_ignored() {
    let loaded = merged("language = \"ru\"\n", "", &[("PVZ_LANG", "english"), ("PVZ_SERVER_URL", "ftp://x")]);
    let shown: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 2, "two wrong variables: {shown:?}");
    assert!(shown.iter().any(|p| p.starts_with("the environment: PVZ_LANG: ")), "names PVZ_LANG: {shown:?}");
    assert!(shown.iter().any(|p| p.starts_with("the environment: PVZ_SERVER_URL: ")), "names the URL: {shown:?}");
    assert_eq!(loaded.config.language, Some(Language::Ru), "the file's language stands");
    assert_eq!(loaded.config.server_url, None, "no server from a wrong address");
}

#[test]
fn kiosk_mode_switched_on_in_the_system_file_cannot_be_switched_off_by_the_user() {
    let loaded = merged("kiosk_mode = true\n", "kiosk_mode = false\n", &[("PVZ_KIOSK_MODE", "0")]);
    assert!(loaded.config.kiosk_mode, "the operator's kiosk mode stays on");
    assert!(loaded.config.autostart(), "and with it the autostart");
    let origins: Vec<_> = loaded.problems.iter().map(|p| p.origin.as_str()).collect();
    assert_eq!(origins, [USER, "the environment"], "both attempts are reported: {:?}", loaded.problems);
    assert!(loaded.problems[0].to_string().contains(SYSTEM), "says which file holds the setting");

    let user_on = merged("", "kiosk_mode = true\nautostart = false\n", &[]);
    assert!(user_on.config.kiosk_mode, "a user's file may switch kiosk mode on");
    assert!(!user_on.config.autostart(), "and autostart may be set apart from it");
}

#[test]
fn the_files_are_found_where_the_variables_say_or_in_the_platforms_places() {
    let moved = ConfigPaths::from_env(&env_of(&[
        ("PVZ_SYSTEM_CONFIG", "/tmp/t/system.toml"),
        ("PVZ_CONFIG_DIR", "/tmp/t/user"),
        ("XDG_CONFIG_HOME", "/home/x/.config"),
    ]));
    assert_eq!(moved.system, PathBuf::from("/tmp/t/system.toml"), "PVZ_SYSTEM_CONFIG names the system file");
    assert_eq!(moved.user, Some(PathBuf::from("/tmp/t/user/kiosk.toml")), "PVZ_CONFIG_DIR holds the user's file");
    if cfg!(unix) {
        let usual = ConfigPaths::from_env(&env_of(&[("HOME", "/home/counter")]));
        assert_eq!(usual.system, PathBuf::from(SYSTEM), "the system file is in /etc/pvz-kiosk");
        assert_eq!(usual.user, Some(PathBuf::from(USER)), "the user's file is under ~/.config without XDG_CONFIG_HOME");
    }
}

#[test]
fn load_reads_the_files_and_a_missing_one_is_no_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    let system = dir.path().join("system.toml");
    std::fs::write(&system, "kiosk_mode = true\nlanguage = \"xx\"\n").expect("write the system file");
    let paths = ConfigPaths { system: system.clone(), user: Some(dir.path().join("absent/kiosk.toml")) };
    let loaded = load(&paths, &env_of(&[]));
    assert!(loaded.config.kiosk_mode, "the system file's kiosk mode is read");
    let view = loaded.view();
    assert_eq!(view.problems.len(), 1, "only the wrong language, not the missing user file: {:?}", view.problems);
    assert!(view.problems[0].starts_with(&system.display().to_string()), "the problem names the file: {view:?}");
}
