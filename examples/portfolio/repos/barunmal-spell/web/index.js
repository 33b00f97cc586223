// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: 2026 바른말연구소
// Web demo: split Hangul syllables into jamo before sending them to the checker.
import Hangul from "hangul-js";

export function jamo(text) {
  return Hangul.disassemble(text).join("");
}
