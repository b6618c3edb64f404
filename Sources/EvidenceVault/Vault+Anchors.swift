import Foundation

/// Anchors: short codes of the journal's head that the person sends off the device (DESIGN.md, "Anchors").
///
/// A device alone cannot prove that its journal was not rewritten from scratch or rolled back. A code that
/// someone else received on a known day can: it matches only the journal whose first records are exactly the
/// ones that existed when it was made.
extension Vault {
  /// What checking an anchor code against the journal found.
  public enum AnchorCheck: Equatable, Sendable {
    /// The journal's first `sequence` records are exactly those the code was made from. `madeAt` is when, if
    /// the journal recorded making it.
    case matches(sequence: UInt64, madeAt: String?)
    /// The journal's first `sequence` records differ from those the code was made from, or the code is from
    /// another vault.
    case doesNotMatch(sequence: UInt64)
    /// The code covers more records than the journal holds: records were removed, or it is another vault's.
    case beyondJournal(sequence: UInt64, recordCount: Int)
    /// The record the code ends at is damaged in this journal, so the code cannot be checked against it.
    case damaged(sequence: UInt64)
  }

  /// Makes the code of the journal's current head and records that it was made.
  ///
  /// When nothing but anchors was written since the last anchor, that anchor is returned again and nothing is
  /// written.
  /// - Throws: `invalidInput` for an empty journal, and what `append` throws (a damaged vault refuses).
  public func anchor() throws(VaultError) -> Anchor {
    if let last = index.anchors.last, last.recordSequence == integrity.head.sequence { return last.anchor }
    let head = integrity.head
    guard head.sequence > 0 else {
      throw VaultError(
        .invalidInput, "There is nothing to anchor yet: the journal is empty.",
        hint: "Write down what happened first, with `evidence add`.")
    }
    var anchor = Anchor(
      sequence: head.sequence, chain: head.hashHex,
      code: AnchorCode.make(
        vaultId: vaultIdBytes, sequence: head.sequence, chain: head.hash, signingKey: keys.signing.publicKey),
      signingKey: signingPublicKeyHex)
    anchor.stamp = stamp()
    try append(.anchor(anchor))
    return anchor
  }

  /// Checks a code that was sent off the device against the journal as it is now.
  /// - Throws: `invalidInput` when `code` is not an anchor code at all.
  public func checkAnchor(_ code: String) throws(VaultError) -> AnchorCheck {
    let (sequence, canonical) = try AnchorCode.parse(code)
    guard sequence >= 1, sequence <= integrity.head.sequence else {
      return .beyondJournal(sequence: sequence, recordCount: Int(integrity.head.sequence))
    }
    guard let chain = record(sequence: sequence)?.chain else { return .damaged(sequence: sequence) }
    // A version 2 code names the signing key it was made with: this vault's, or one it had before a change of keys
    // (which its anchor records remember).
    let keys = [signingPublicKeyHex] + index.anchors.compactMap(\.anchor.signingKey)
    guard
      keys.contains(where: {
        AnchorCode.matches(
          canonical, vaultIdHex: vaultIdHex, sequence: sequence, chainHex: Hex.encode(chain), signingKeyHex: $0)
      })
    else { return .doesNotMatch(sequence: sequence) }
    let made = index.anchors.first { $0.anchor.code == canonical }
    return .matches(sequence: sequence, madeAt: made?.anchor.stamp.recordedAt)
  }

  /// The last anchor made, and how many records (other than anchors) were written after the head it covers.
  public var anchorStatus: (last: Anchor?, unanchoredRecords: Int) {
    let anchors = index.anchors
    let unanchored = AnchorCode.unanchoredCount(
      recordCount: records.count, anchors: anchors.map { ($0.anchor.sequence, $0.recordSequence) })
    return (anchors.last?.anchor, unanchored)
  }
}
