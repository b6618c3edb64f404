/// What opening a vault found: how much verifies, and anything wrong or worth knowing.
public struct IntegrityReport: Sendable {
  /// The head of the part of the journal that verifies.
  public internal(set) var head: ChainHead
  /// Damage: while there is any, the vault can be read and exported up to the damage but not written.
  public internal(set) var problems: [IntegrityProblem] = []
  /// Things that are not damage but that the person should hear: a recovered unfinished save, a clock that went back.
  public internal(set) var notices: [String] = []

  /// True when every record and the signed head verify.
  public var isIntact: Bool { problems.isEmpty }
}

/// One way a vault fails to verify, with a sentence that names the record.
public struct IntegrityProblem: Equatable, Sendable, CustomStringConvertible {
  public enum Kind: Equatable, Sendable {
    /// `journal.log` is not there at all.
    case journalMissing
    /// The record at this journal position does not authenticate: altered, or records before it removed or reordered.
    case recordDoesNotVerify(sequence: UInt64)
    /// A frame's length field is impossible: the journal is corrupted at this position.
    case frameLengthImpossible(sequence: UInt64)
    /// The journal ends inside this record, and the signed head does not show it was never saved.
    case recordIncomplete(sequence: UInt64)
    /// The record decrypts but its content cannot be read.
    case recordUnreadable(sequence: UInt64)
    /// The signed head names more records than the journal has: records were removed from its end.
    case recordsMissingFromEnd(expected: UInt64, found: UInt64)
    /// The signed head's chain value differs from the journal's at the same position.
    case headMismatch(sequence: UInt64)
    /// `head.json` is missing, unreadable or not signed by this vault.
    case headNotAuthentic
    /// Version 2: the records `first…last` are damaged or missing (`last` nil: to the end of the journal); the
    /// records around them still read.
    case recordsDamaged(first: UInt64, last: UInt64?)
    /// Version 2: a frame of this record appears again after it (a copied frame), and was skipped.
    case recordDuplicated(sequence: UInt64)
    /// Version 2: the record authenticates, but the chain value it carries is not the one after its predecessor.
    case chainBroken(sequence: UInt64)
    /// Version 2: bytes between two frames that are not a record of this vault; nothing was lost there.
    case bytesNotARecord(offset: Int)
    /// The journal's first bytes do not say which version it is, or say another than the header.
    case journalVersionMismatch
  }

  public let kind: Kind
  public let message: String
  public var description: String { message }
}

extension IntegrityProblem {
  /// What can still be read when the damage is at record `sequence`.
  static func readableSummary(before sequence: UInt64) -> String {
    switch sequence {
    case 1: "No record can be read."
    case 2: "Record 1 verifies and can still be read; nothing from record 2 on can."
    default: "Records 1–\(sequence - 1) verify and can still be read; nothing from record \(sequence) on can."
    }
  }
}
