import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Drafts of guided commands (see `Draft`): found in `inbox/` at this open, offered by the command that wrote them.
extension Vault {
  /// The drafts `command` left unfinished, oldest first.
  public func drafts(of command: String) -> [Draft] {
    inboxIntake.drafts.filter { $0.command == command }
  }

  /// Removes a draft from `inbox/` (the person chose to discard it). Nothing is kept of it.
  public func discard(_ draft: Draft) throws(VaultError) {
    for name in draft.itemNames { unlink(inboxFolder.appendingPathComponent(name).path) }
    try DurableFiles.syncFolder(inboxFolder)
    inboxIntake.drafts.removeAll { $0.id == draft.id }
  }

  /// Keeps what a draft holds as a quick note: `text` (the answers, written out by the caller) becomes an entry
  /// as a quick note does, noted at the draft's start, and only then is the draft removed.
  /// - Returns: the new entry's number.
  @discardableResult
  public func keepAsQuickNote(_ draft: Draft, text: String) throws(VaultError) -> Int {
    try ensureWritable()
    try QuickNoteWriter.write(
      text: text, files: [], toVaultAt: folder, timeZone: TimeZone(identifier: draft.timeZone) ?? .current,
      now: draft.startedAt)
    let (intake, _) = takeInInbox()
    guard let number = intake.entryNumbers.last else {
      throw VaultError(
        .fileSystem, "The draft was kept as a quick note, but it could not be added to the journal now.",
        hint: "It is added the next time you open your journal.")
    }
    try discard(draft)
    return number
  }
}
