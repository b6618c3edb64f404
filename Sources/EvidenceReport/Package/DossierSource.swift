import EvidenceVault
import Foundation

/// What a dossier is built from: a vault's records, or the records an evidence package includes.
///
/// `export` builds the dossier from the unlocked vault; `verify-export` builds it again from `records.json` and
/// the manifest, without the vault, to check that `dossier.txt` says what the records say.
public struct DossierSource {
  /// The records, arranged.
  public var index: JournalIndex
  /// The journal position of each record in `index`, parallel to `index.recordIds`.
  public var sequences: [UInt64]
  /// How many records the journal holds (with the withheld ones).
  public var totalRecords: Int
  /// The chain head as `head.json` signs it.
  public var head: (sequence: UInt64, hash: String, signature: String)
  /// The signing key's fingerprint, "ab12 cd34 …".
  public var fingerprint: String
  /// What does not verify (salvage).
  public var problems: [String]
  /// Records whose device time went back.
  public var clockNotices: [String]
  /// Records, other than anchors, after the last anchor's head.
  public var unanchoredRecords: Int
  /// Numbers up to the head of records that could not be read (damaged or lost).
  public var missingRecords: [ClosedRange<UInt64>]

  /// Everything in an unlocked vault.
  public init(vault: Vault) {
    index = vault.index
    sequences = vault.records.map(\.sequence)
    totalRecords = vault.records.count
    head = vault.signedHead()
    fingerprint = vault.fingerprint
    problems = vault.integrity.problems.map(\.message)
    clockNotices = vault.clockNotices
    unanchoredRecords = vault.anchorStatus.unanchoredRecords
    missingRecords = Self.missing(vault.records.map(\.sequence), upTo: head.sequence)
  }

  public init(
    index: JournalIndex, sequences: [UInt64], totalRecords: Int,
    head: (sequence: UInt64, hash: String, signature: String),
    fingerprint: String, problems: [String], clockNotices: [String], unanchoredRecords: Int,
    missingRecords: [ClosedRange<UInt64>] = []
  ) {
    self.missingRecords = missingRecords
    self.index = index
    self.sequences = sequences
    self.totalRecords = totalRecords
    self.head = head
    self.fingerprint = fingerprint
    self.problems = problems
    self.clockNotices = clockNotices
    self.unanchoredRecords = unanchoredRecords
  }

  /// The runs of numbers in 1…`head` that `sequences` (ascending) lacks.
  public static func missing(_ sequences: [UInt64], upTo head: UInt64) -> [ClosedRange<UInt64>] {
    var runs: [ClosedRange<UInt64>] = []
    var next: UInt64 = 1
    for sequence in sequences where sequence >= next {
      if sequence > next { runs.append(next...(sequence - 1)) }
      next = sequence + 1
    }
    if next <= head { runs.append(next...head) }
    return runs
  }
}
