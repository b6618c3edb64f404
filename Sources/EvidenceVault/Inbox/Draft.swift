import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What a person has typed so far into a guided command (`evidence add`, `message add`): the answers given, each
/// under the name of its question, exactly as typed.
///
/// A `DraftWriter` seals it into `inbox/` after every answer, with nothing but the inbox public key, so that Ctrl-C,
/// a closed terminal, a crash or a wrong passphrase loses nothing. Drafts are never taken into the journal on their
/// own: the next run of the same command offers to continue one, keep it as a quick note, or discard it. See
/// docs/FORMAT.md, "Inbox items", kind 2.
public struct Draft: Sendable, Equatable {
  /// A random UUID, the same in every item the draft was saved as.
  public let id: String
  /// The command that asked the questions (`add`, `message add`).
  public let command: String
  /// When the first answer was given.
  public let startedAt: Date
  /// When the answers were last saved.
  public let savedAt: Date
  /// The writer's time zone (IANA name).
  public let timeZone: String
  /// Each answer under its question's name (`when`, `title`, `narrative`), exactly as typed.
  public let answers: [String: String]
  /// The item files that hold it in `inbox/`, newest last.
  let itemNames: [String]

  /// The most answers one draft holds.
  public static let maximumAnswerCount = 64
  /// The longest answer, in UTF-8 bytes (as a quick note's text).
  public static let maximumAnswerByteCount = InboxItem.maximumTextByteCount
  /// The longest question name, in bytes (lowercase ASCII letters, digits and `-`).
  static let maximumNameByteCount = 32
  /// The largest kind 2 item file.
  static let maximumItemByteCount = 4 << 20

  /// The JSON sealed in a kind 2 item (keys sorted).
  struct Sealed: Codable, Equatable {
    var answers: [String: String]
    var command: String
    var id: String
    var savedAt: String
    var startedAt: String
    var timeZone: String
  }

  /// True when every field is within the caps, so that a hostile item cannot make later work large or strange.
  static func isValid(_ sealed: Sealed) -> Bool {
    guard InboxReader.isUUID(sealed.id), WhenFormatter.parseRFC3339UTC(sealed.startedAt) != nil,
      WhenFormatter.parseRFC3339UTC(sealed.savedAt) != nil, sealed.timeZone.utf8.count <= 64,
      (1...FailedUnlockLog.maximumCommandByteCount).contains(sealed.command.utf8.count),
      !sealed.command.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
      sealed.answers.count <= maximumAnswerCount
    else { return false }
    for (name, answer) in sealed.answers {
      guard (1...maximumNameByteCount).contains(name.utf8.count),
        name.utf8.allSatisfy({ (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2d }),
        answer.utf8.count <= maximumAnswerByteCount
      else { return false }
    }
    return true
  }
}

/// Seals a draft into `inbox/` after every answer: each save writes a new item (crash-safely, as a quick note is
/// written) and only then removes the draft's earlier items, so that a crash at any moment leaves at least one
/// whole copy of the last or the one before. Needs no passphrase and takes no lock on the vault.
public final class DraftWriter {
  private let inbox: URL
  private let publicKey: [UInt8]
  private let id: String
  private let command: String
  private let startedAt: Date
  private let timeZone: TimeZone
  private let clock: () -> Date
  /// The items this draft is in now (a resumed draft's, then this writer's).
  private var current: [String]

  /// A writer for a new draft of `command`, or for `resuming` one (its id and start are kept, and its items are
  /// replaced at the first save).
  /// - Throws: `notAVault` and the header's faults, as `evidence note` reports them.
  public init(
    vaultAt folder: URL, command: String, timeZone: TimeZone, clock: @escaping () -> Date, resuming: Draft? = nil
  ) throws(VaultError) {
    publicKey = try QuickNoteWriter.inboxPublicKey(of: folder)
    inbox = folder.appendingPathComponent(Vault.Layout.inbox)
    self.command = FailedUnlockLog.cleaned(command)
    self.timeZone = timeZone
    self.clock = clock
    id = resuming?.id ?? Vault.uuidText(randomBytes: Sodium.randomBytes(16)[...])
    startedAt = resuming?.startedAt ?? clock()
    current = resuming?.itemNames ?? []
  }

  /// Seals `answers` as the draft's newest state; answers over the caps are cut (never refused: the person is
  /// typing).
  public func save(_ answers: [String: String]) throws(VaultError) {
    var kept: [String: String] = [:]
    for (name, answer) in answers.sorted(by: { $0.key < $1.key }).prefix(Draft.maximumAnswerCount) {
      kept[name] = Self.cut(answer, toUTF8: Draft.maximumAnswerByteCount)
    }
    let sealed = Draft.Sealed(
      answers: kept, command: command, id: id, savedAt: WhenFormatter.rfc3339UTC(clock()),
      startedAt: WhenFormatter.rfc3339UTC(startedAt), timeZone: timeZone.identifier)
    guard Draft.isValid(sealed) else {
      throw VaultError(.invalidInput, "This draft cannot be kept (a question name is not valid).")
    }
    let box = InboxItem.encode(sealed).withUnsafeBytes { InboxKey.seal($0, to: publicKey) }
    try DurableFiles.makeFolder(inbox)
    let inboxLock = Glibc.open(inbox.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard inboxLock >= 0 else { throw .fileSystem("open the folder", inbox.path, errno: errno) }
    defer { close(inboxLock) }
    _ = flock(inboxLock, LOCK_SH)
    let written = try QuickNoteWriter.writeItem(in: inbox) { (output, path) throws(VaultError) in
      try DurableFiles.writeAll(output, InboxItem.magic + [InboxItem.Kind.draft.rawValue] + box, path: path)
    }
    try DurableFiles.syncFolder(inbox)
    // Only now that the new copy is durable do the older ones go.
    for name in current { unlink(inbox.appendingPathComponent(name).path) }
    current = [written.lastPathComponent]
    try DurableFiles.syncFolder(inbox)
  }

  /// Removes the draft (after what it held was saved, or when the person chose to discard it).
  public func discard() throws(VaultError) {
    guard !current.isEmpty else { return }
    for name in current { unlink(inbox.appendingPathComponent(name).path) }
    current = []
    try DurableFiles.syncFolder(inbox)
  }

  private static func cut(_ text: String, toUTF8 limit: Int) -> String {
    guard text.utf8.count > limit else { return text }
    var result = ""
    var count = 0
    for character in text {
      let size = String(character).utf8.count
      if count + size > limit { break }
      result.append(character)
      count += size
    }
    return result
  }
}
