import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

/// What a guided command does first when it left drafts unfinished: offers each, oldest first, to continue, to
/// keep as a quick note, or to discard (which asks once more). Nothing is discarded without two answers.
enum DraftOffer {
  /// The draft the person chose to continue, if any.
  /// - Parameters:
  ///   - what: the thing being written, for the question (`.draftEntry`, `.draftMessage`).
  ///   - noteText: the draft's answers written out, for keeping it as a quick note.
  static func choose(
    from vault: Vault, command: String, what: Phrase, timeZone: TimeZone, noteText: ([String: String]) -> String
  ) throws(VaultError) -> Draft? {
    for draft in vault.drafts(of: command) {
      let when = ShortTime.dayAndTime(draft.startedAt, timeZone: timeZone)
      if Prompt.confirm(String(.draftContinue, ["what": String(what), "when": when]), default: true) {
        return draft
      }
      let text = noteText(draft.answers)
      if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
        Prompt.confirm(String(.draftKeepAsNote), default: true)
      {
        let number = try vault.keepAsQuickNote(draft, text: text)
        print(String(.draftKeptAsNote, ["number": String(number)]))
        continue
      }
      if Prompt.confirm(String(.draftDiscard), default: false) {
        try vault.discard(draft)
        print(String(.draftDiscarded))
      } else {
        print(String(.draftKeptForLater, ["program": ProgramName.current, "command": command]))
      }
    }
    return nil
  }

  /// A writer that keeps the answers of this run as a draft; a failure to keep them is said once and the
  /// questions go on (the person is typing: never stop them for it).
  static func keeper(
    folder: URL, command: String, timeZone: TimeZone, resuming: Draft?
  ) -> (writer: DraftWriter?, keep: ([String: String]) -> Void) {
    let writer: DraftWriter?
    do throws(VaultError) {
      writer = try DraftWriter(
        vaultAt: folder, command: command, timeZone: timeZone, clock: { DeviceClock.now }, resuming: resuming)
    } catch {
      Diagnostics.warning(String(.draftCannotKeep, ["reason": error.message]))
      return (nil, { _ in })
    }
    var warned = false
    return (
      writer,
      { answers in
        do throws(VaultError) { try writer?.save(answers) } catch {
          if !warned {
            Diagnostics.warning(String(.draftCannotKeepNow, ["reason": error.message]))
            warned = true
          }
        }
      }
    )
  }
}
