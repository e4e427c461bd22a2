//! Drawing a frame over the previous one at a terminal, with ANSI cursor movements.

use crate::emit;
use crate::failure::Failure;

/// Draws `lines` over the `drawn` lines of the previous frame, cut to the terminal's size so
/// that moving back over them stays exact.
pub(super) fn redraw(drawn: &mut usize, lines: &[String]) -> Result<(), Failure> {
    let (height, width) = console::Term::stdout().size();
    let width = usize::from(width.max(20)) - 1;
    let height = usize::from(height.max(4)) - 1;
    let mut shown: Vec<String> = lines
        .iter()
        .map(|line| console::truncate_str(line, width, "…").into_owned())
        .collect();
    if shown.len() > height {
        let hidden = shown.len() - (height - 1);
        shown.truncate(height - 1);
        shown.push(format!("… {hidden} more lines: enlarge the terminal"));
    }
    let mut text = String::new();
    if *drawn > 0 {
        // To the start of the previous frame's first line, then clear to the end of the screen.
        text.push_str(&format!("\x1b[{}F\x1b[J", *drawn));
    }
    for line in &shown {
        text.push_str(line);
        text.push('\n');
    }
    *drawn = shown.len();
    emit(&text)
}
