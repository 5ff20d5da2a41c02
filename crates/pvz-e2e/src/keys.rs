//! Counting the keys a counter job takes: [`Keys`] sends each key action to the window through
//! WebDriver, as a person at the keyboard would, and remembers it. One key press (with its
//! modifiers) is one action, and so is typing a text; `assert_at_most` fails a flow that needs more
//! than its budget, listing the keys sent. Scans are not keys: send them with `scan_burst`.

use crate::page::Page;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

pub struct Keys<'a> {
    page: &'a Page,
    sent: Vec<String>,
}

impl Page {
    /// A fresh key count for one flow on this page.
    pub fn keys(&self) -> Keys<'_> {
        Keys { page: self, sent: Vec::new() }
    }
}

impl Keys<'_> {
    /// Presses and releases a named key (F2, Enter, an arrow).
    pub async fn press(&mut self, key: Key) {
        self.chord(&[], key.into(), format!("{key:?}")).await;
    }

    /// Presses and releases a character key (a digit, a letter).
    pub async fn press_char(&mut self, key: char) {
        self.chord(&[], key, key.to_string()).await;
    }

    /// Holds `modifier` (Shift, Control) while pressing `key`: one action.
    pub async fn press_with(&mut self, modifier: Key, key: Key) {
        self.chord(&[modifier.into()], key.into(), format!("{modifier:?}+{key:?}")).await;
    }

    /// Types `text` into the focused element: one action, however long the text.
    pub async fn type_text(&mut self, text: &str) {
        self.type_into_focused(text).await;
        self.sent.push(format!("{text:?}"));
    }

    /// Types `text` where no text field has the keyboard yet, as a person starts describing a
    /// defect: its first letter brings up the field `opens` (a data-testid), and the rest goes into
    /// that field once it has the keyboard. One action, as `type_text`. The rest is typed as one
    /// burst into the field: a text field keeps a burst that no Enter ends.
    pub async fn type_text_opening(&mut self, text: &str, opens: &str) {
        let mut chars = text.chars();
        let first = chars.next().unwrap_or_else(|| panic!("a description to type, not an empty text"));
        self.send_chord(&[], first, &format!("{first:?}")).await;
        self.page.wait_focused(opens).await;
        let rest = chars.as_str();
        if !rest.is_empty() {
            self.type_into_focused(rest).await;
        }
        self.sent.push(format!("{text:?}"));
    }

    /// Fails unless the flow took at most `budget` key actions, saying which keys it took.
    pub fn assert_at_most(&self, budget: usize, flow: &str) {
        assert!(
            self.sent.len() <= budget,
            "{flow} should take at most {budget} key actions, but took {}: {}",
            self.sent.len(),
            self.sent.join(", ")
        );
    }

    async fn chord(&mut self, modifiers: &[char], key: char, name: String) {
        self.send_chord(modifiers, key, &name).await;
        self.sent.push(name);
    }

    /// Presses `key` with `modifiers` held, without counting it.
    async fn send_chord(&self, modifiers: &[char], key: char, name: &str) {
        let mut actions = KeyActions::new("keyboard".into());
        for &modifier in modifiers {
            actions = actions.then(KeyAction::Down { value: modifier });
        }
        actions = actions.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        for &modifier in modifiers.iter().rev() {
            actions = actions.then(KeyAction::Up { value: modifier });
        }
        self.page.client().perform_actions(actions).await.unwrap_or_else(|e| panic!("the window takes {name}: {e}"));
    }

    /// Sends `text` to the focused element, without counting it.
    async fn type_into_focused(&self, text: &str) {
        let focused = self.page.client().active_element().await.unwrap_or_else(|e| panic!("something has focus: {e}"));
        focused.send_keys(text).await.unwrap_or_else(|e| panic!("the focused element takes {text:?}: {e}"));
    }
}
