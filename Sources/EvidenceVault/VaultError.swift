import Foundation

/// Everything that can go wrong with a vault, as one sentence a person can act on.
///
/// Messages never contain key material, passphrases or the text of records.
public struct VaultError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What kind of failure this is, for `catch` patterns and exit codes.
  public enum Code: String, Equatable, Sendable {
    /// The folder has no vault header, or something else is there.
    case notAVault
    /// `init` was pointed at a folder that already holds files.
    case alreadyExists
    /// The header names a format version this program does not know.
    case unsupportedVersion
    /// The header cannot be parsed, or a field has the wrong size.
    case headerDamaged
    /// The header asks for key-derivation work or memory beyond the caps.
    case unsafeHeaderParameters
    /// The passphrase does not unlock the master key (or the header was altered).
    case wrongPassphrase
    /// The journal does not verify; the vault can be read up to the damage but not written.
    case vaultDamaged
    /// Another `evidence` process holds the vault.
    case busy
    /// The disk is full; nothing was changed.
    case diskFull
    /// Reading or writing a file failed for another reason.
    case fileSystem
    /// The key derivation could not get the memory it needs.
    case outOfMemory
    /// An entry number that does not exist.
    case unknownEntry
    /// A person name or alias that does not exist.
    case unknownPerson
    /// A value given by the person that the vault cannot take (empty title, bad phone number…).
    case invalidInput
    /// A backup does not verify: a file of it is missing, cut off or altered, or it is not this vault's.
    case backupDamaged
  }

  public let code: Code
  /// One sentence: what is wrong.
  public let message: String
  /// What to do about it, where there is something useful to say.
  public let hint: String?

  public init(_ code: Code, _ message: String, hint: String? = nil) {
    self.code = code
    self.message = message
    self.hint = hint
  }

  public var description: String { message }
}

extension VaultError {
  /// A failed system call on `path`, described without jargon.
  static func fileSystem(_ action: String, _ path: String, errno code: Int32) -> VaultError {
    if code == ENOSPC || code == EDQUOT {
      return VaultError(
        .diskFull, "The disk is full: could not \(action) \(path). Nothing was changed.",
        hint: "Free some space and try again.")
    }
    if code == EACCES || code == EPERM {
      return VaultError(
        .fileSystem, "Permission denied: could not \(action) \(path).",
        hint: "Check that you own the vault folder.")
    }
    if code == EROFS {
      return VaultError(.fileSystem, "The disk is read-only: could not \(action) \(path).")
    }
    let reason = String(cString: strerror(code))
    return VaultError(.fileSystem, "Could not \(action) \(path): \(reason).")
  }
}
