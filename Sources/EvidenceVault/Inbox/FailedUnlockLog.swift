import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What the program knows about an attempt to unlock the vault: which command asked, and how the passphrase came.
///
/// It never says anything about the passphrase itself.
public struct UnlockAttempt: Sendable, Equatable {
  /// The command that asked for the passphrase (`list`, `person add`, `passwd`), at most 64 bytes.
  public var command: String
  /// True when the passphrase was typed at the terminal, false when it came on a file descriptor.
  public var viaTerminal: Bool

  public init(command: String, viaTerminal: Bool) {
    self.command = command
    self.viaTerminal = viaTerminal
  }

  /// The attempt of a caller that does not say (a program using the library, a test).
  public static let unnamed = UnlockAttempt(command: "unnamed", viaTerminal: false)
}

/// Kind 3 inbox items: a record of one wrong passphrase, sealed to the inbox public key from `vault.json` by the
/// process that was given it, and taken into the journal as an `access` record at the next unlock. See
/// docs/FORMAT.md, "Inbox items".
///
/// The item holds when it happened, the command and how the passphrase came; never the passphrase or anything
/// derived from it (not its length, not a hash).
enum FailedUnlockLog {
  /// The largest kind 3 item file: three short fields, sealed.
  static let maximumItemByteCount = 4096
  /// The longest command name kept, in UTF-8 bytes.
  static let maximumCommandByteCount = 64

  /// The JSON sealed in a kind 3 item (keys sorted).
  struct Item: Codable, Equatable {
    /// When the wrong passphrase was given, by the device clock, RFC 3339 UTC.
    var failedAt: String
    /// The command that asked for it.
    var command: String
    /// `terminal` or `descriptor`.
    var entry: AccessAttempt.Entry
  }

  /// Seals a record of a wrong passphrase into `inbox/` of the vault at `folder`, to `inboxPublicKey` (hex, from
  /// the header that was just checked). Best effort: nothing is written on a disk that cannot be written to, and a
  /// failure to write is only returned, never thrown, so that the person sees the error they would have seen.
  /// - Returns: nil when the item was written (or there was nothing to write to), else why it was not.
  @discardableResult
  static func record(
    _ attempt: UnlockAttempt, at failedAt: Date, inboxPublicKey: String, folder: URL
  ) -> VaultError? {
    guard DiskState.readOnlyReason(folder) == nil,
      let publicKey = Hex.decode(inboxPublicKey, byteCount: InboxKey.publicKeyByteCount)
    else { return nil }
    let inbox = folder.appendingPathComponent(Vault.Layout.inbox)
    // A vault made before the inbox existed gets one, as `evidence note` makes it.
    do throws(VaultError) { try DurableFiles.makeFolder(inbox) } catch { return error }
    let item = Item(
      failedAt: WhenFormatter.rfc3339UTC(failedAt), command: Self.cleaned(attempt.command),
      entry: attempt.viaTerminal ? .terminal : .descriptor)
    let sealed = InboxItem.encode(item).withUnsafeBytes { InboxKey.seal($0, to: publicKey) }
    // Shared, as `evidence note` holds it: intake's exclusive hold tells it no item is being written.
    let inboxLock = Glibc.open(inbox.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard inboxLock >= 0 else { return .fileSystem("open the folder", inbox.path, errno: errno) }
    defer { close(inboxLock) }
    _ = flock(inboxLock, LOCK_SH)
    do throws(VaultError) {
      _ = try QuickNoteWriter.writeItem(in: inbox) { (output, path) throws(VaultError) in
        try DurableFiles.writeAll(output, InboxItem.magic + [InboxItem.Kind.failedUnlock.rawValue] + sealed, path: path)
      }
      try DurableFiles.syncFolder(inbox)
      return nil
    } catch {
      return error
    }
  }

  /// The command name as kept: control characters dropped, at most 64 bytes, never empty.
  static func cleaned(_ command: String) -> String {
    var kept = ""
    for character in command
    where !character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      guard kept.utf8.count + character.utf8.count <= maximumCommandByteCount else { break }
      kept.append(character)
    }
    return kept.isEmpty ? UnlockAttempt.unnamed.command : kept
  }

  /// True when what a kind 3 item says is in range (checked before it becomes a record).
  static func isValid(_ item: Item) -> Bool {
    WhenFormatter.parseRFC3339UTC(item.failedAt) != nil && !item.command.isEmpty
      && item.command.utf8.count <= maximumCommandByteCount
      && !item.command.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
  }
}
