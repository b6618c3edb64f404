/// Decrypts the frames of a journal in order and recomputes the chain.
///
/// A version 1 journal stops at the first frame that does not verify: every later frame depends on it. A version 2
/// journal goes on past damage: a frame that does not authenticate, or whose length field is damaged, costs that
/// frame only; reading resumes at the next frame that authenticates (found by its length, else by scanning forward),
/// and each lost stretch is reported by the sequence numbers it held.
struct JournalReader {
  let vaultId: [UInt8]
  let version: JournalFormat.Version
  /// Every record that authenticates, in journal order; with damage, sequence numbers may skip.
  var records: [StoredRecord] = []
  var report: IntegrityReport
  /// Where an unfinished final append starts, if there is one.
  var tornTail: Int?
  /// Where each record's frame ends in the journal, parallel to `records`.
  var frameEnds: [Int] = []

  /// How far beyond the expected sequence number a frame found by scanning may claim to be, so that random bytes
  /// that happen to look like a length are not tried as a frame: more frames than that cannot have been lost.
  static let scanSequenceWindow: UInt64 = 1 << 32

  init(vaultId: [UInt8], version: JournalFormat.Version) {
    self.vaultId = vaultId
    self.version = version
    self.report = IntegrityReport(head: ChainHead(sequence: 0, hash: Chain.genesis(vaultId: vaultId)))
  }

  /// The record with this sequence number, if it was read.
  func index(ofSequence sequence: UInt64) -> Int? {
    let guess = Int(clamping: sequence) - 1
    if records.indices.contains(guess), records[guess].sequence == sequence { return guess }
    return records.firstIndex { $0.sequence == sequence }
  }

  /// Forgets every record after `sequence` (which must have been read, or be 0) and what was found after it.
  mutating func cut(to sequence: UInt64) {
    let keep = sequence == 0 ? 0 : (index(ofSequence: sequence).map { $0 + 1 } ?? records.count)
    records.removeSubrange(keep...)
    frameEnds.removeSubrange(keep...)
    report.head = ChainHead(sequence: sequence, hash: records.last?.chain ?? Chain.genesis(vaultId: vaultId))
    report.problems.removeAll()
    tornTail = nil
  }

  /// Reads the frames of `source` from `start` (a frame boundary) to its end, after the records already read
  /// (`report.head` says where they ended).
  mutating func read(
    _ source: inout some JournalBytes, from start: Int, key: borrowing SecretBytes
  ) {
    do throws(VaultError) {
      switch version {
      case .v1: try readV1(&source, from: start, key: key)
      case .v2: try readV2(&source, from: start, key: key)
      }
    } catch {
      let sequence = report.head.sequence + 1
      report.problems.append(
        IntegrityProblem(
          kind: .recordUnreadable(sequence: sequence),
          message:
            "The journal cannot be read from record \(sequence) on: \(error.message) Keep a copy of the whole vault folder; the records before it can still be read."
        ))
    }
  }

  /// The frame length field at `offset` (4 bytes, which must lie within `source`).
  private static func lengthField(_ source: inout some JournalBytes, at offset: Int) throws(VaultError) -> Int {
    try source.withBytes(in: offset..<(offset + JournalFormat.lengthByteCount)) {
      Int(JournalFormat.bigEndian($0, count: JournalFormat.lengthByteCount))
    }
  }

  // MARK: - Version 1

  private mutating func readV1(
    _ source: inout some JournalBytes, from start: Int, key: borrowing SecretBytes
  ) throws(VaultError) {
    var offset = start
    var chain = report.head.hash
    while offset < source.endOffset {
      let remaining = source.endOffset - offset
      guard remaining >= JournalFormat.lengthByteCount else {
        tornTail = offset
        return
      }
      let length = try Self.lengthField(&source, at: offset)
      let sequence = report.head.sequence + 1
      guard JournalFormat.isPossibleLength(length, .v1) else {
        report.problems.append(
          IntegrityProblem(
            kind: .frameLengthImpossible(sequence: sequence),
            message:
              "The journal is corrupted at record \(sequence): its length field is impossible. \(IntegrityProblem.readableSummary(before: sequence))"
          ))
        return
      }
      guard remaining - JournalFormat.lengthByteCount >= length else {
        tornTail = offset
        return
      }
      let body = (offset + 4)..<(offset + 4 + length)
      let associatedData = JournalFormat.associatedDataV1(vaultId: vaultId, sequence: sequence, previousChain: chain)
      let padded = try source.withBytes(in: body) { frame in
        try? AEAD.open(
          UnsafeRawBufferPointer(rebasing: frame[AEAD.nonceByteCount...]),
          nonce: UnsafeRawBufferPointer(rebasing: frame[..<AEAD.nonceByteCount]), associatedData: associatedData,
          key: key)
      }
      guard let padded else {
        report.problems.append(
          IntegrityProblem(
            kind: .recordDoesNotVerify(sequence: sequence),
            message:
              "Record \(sequence) of the journal does not verify: its bytes were altered, or records before it were removed or reordered. \(IntegrityProblem.readableSummary(before: sequence))"
          ))
        return
      }
      guard let bytes = try? Padding.unpad(padded) else {
        report.problems.append(
          IntegrityProblem(
            kind: .recordUnreadable(sequence: sequence),
            message:
              "Record \(sequence) of the journal decrypts but its padding is invalid. \(IntegrityProblem.readableSummary(before: sequence))"
          ))
        return
      }
      let leaf = Chain.leaf(bytes)
      let before = chain
      chain = Chain.next(previous: chain, leaf: leaf)
      records.append(StoredRecord(sequence: sequence, bytes: bytes, leaf: leaf, chain: chain, chainBefore: before))
      frameEnds.append(body.upperBound)
      report.head = ChainHead(sequence: sequence, hash: chain)
      offset = body.upperBound
    }
  }

  // MARK: - Version 2

  /// One version 2 frame that authenticated.
  private struct OpenedFrame {
    let sequence: UInt64
    let previousChain: [UInt8]
    /// The record's bytes, or nil when its padding is invalid (only a faulty writer makes such a frame).
    let record: [UInt8]?
    let start: Int
    let end: Int
  }

  private mutating func readV2(
    _ source: inout some JournalBytes, from start: Int, key: borrowing SecretBytes
  ) throws(VaultError) {
    var offset = start
    /// The chain value before the next record, when the record before it was read.
    var chain: [UInt8]? = report.head.hash
    while offset < source.endOffset {
      let remaining = source.endOffset - offset
      guard remaining >= JournalFormat.lengthByteCount else {
        tornTail = offset
        return
      }
      let length = try Self.lengthField(&source, at: offset)
      let expected = report.head.sequence + 1
      let possible = JournalFormat.isPossibleLength(length, .v2)
      if possible, remaining - JournalFormat.lengthByteCount < length {
        // The file ends inside this frame: an append that never finished, unless its length was damaged and
        // frames follow.
        guard let next = try scan(&source, after: offset, expected: expected, key: key) else {
          tornTail = offset
          return
        }
        lose(from: expected, before: next.sequence, atByte: offset)
        accept(next, chain: &chain)
        offset = next.end
        continue
      }
      if possible, let frame = try open(&source, at: offset, key: key) {
        if frame.sequence < expected {
          report.problems.append(
            IntegrityProblem(
              kind: .recordDuplicated(sequence: frame.sequence),
              message:
                "The journal holds record \(frame.sequence) a second time, at byte \(offset): a copied frame. It was skipped."
            ))
          offset = frame.end
          continue
        }
        lose(from: expected, before: frame.sequence, atByte: offset)
        accept(frame, chain: &chain)
        offset = frame.end
        continue
      }
      // Damage at `offset`: the frame does not authenticate, or its length is impossible. Try where its length
      // says the next frame starts, then scan forward byte by byte.
      var next: OpenedFrame?
      if possible, offset + 4 + length < source.endOffset,
        let following = try open(&source, at: offset + 4 + length, key: key), following.sequence >= expected
      {
        next = following
      }
      if next == nil { next = try scan(&source, after: offset, expected: expected, key: key) }
      guard let next else {
        report.problems.append(
          IntegrityProblem(
            kind: .recordsDamaged(first: expected, last: nil),
            message:
              "Record \(expected) of the journal does not verify, nor anything after it: the journal is damaged from byte \(offset) to its end. \(IntegrityProblem.readableSummary(before: expected))"
          ))
        return
      }
      if next.sequence == expected {
        report.problems.append(
          IntegrityProblem(
            kind: .bytesNotARecord(offset: offset),
            message:
              "The journal holds \(next.start - offset) bytes at byte \(offset) that are not a record of this vault (inserted or damaged); no record was lost there."
          ))
      }
      lose(from: expected, before: next.sequence, atByte: offset)
      accept(next, chain: &chain)
      offset = next.end
    }
  }

  /// Reports the records `first ..< next` as lost, if there are any.
  private mutating func lose(from first: UInt64, before next: UInt64, atByte offset: Int) {
    guard next > first else { return }
    let last = next - 1
    let which = first == last ? "Record \(first) of the journal is" : "Records \(first)–\(last) of the journal are"
    report.problems.append(
      IntegrityProblem(
        kind: .recordsDamaged(first: first, last: last),
        message:
          "\(which) damaged or missing (from byte \(offset)): \(first == last ? "it does" : "they do") not verify and cannot be read. Every record before and after \(first == last ? "it" : "them") that verifies can still be read."
      ))
  }

  /// Takes an authenticated frame as the next record.
  private mutating func accept(_ frame: OpenedFrame, chain: inout [UInt8]?) {
    if let known = chain, frame.sequence == report.head.sequence + 1, known != frame.previousChain {
      report.problems.append(
        IntegrityProblem(
          kind: .chainBroken(sequence: frame.sequence),
          message:
            "Record \(frame.sequence) of the journal does not follow the record before it: records before it were replaced or reordered."
        ))
    }
    guard let bytes = frame.record else {
      report.problems.append(
        IntegrityProblem(
          kind: .recordUnreadable(sequence: frame.sequence),
          message: "Record \(frame.sequence) of the journal decrypts but its padding is invalid; it cannot be read."))
      chain = nil
      report.head = ChainHead(sequence: frame.sequence, hash: report.head.hash)
      return
    }
    let leaf = Chain.leaf(bytes)
    let next = Chain.next(previous: frame.previousChain, leaf: leaf)
    records.append(
      StoredRecord(sequence: frame.sequence, bytes: bytes, leaf: leaf, chain: next, chainBefore: frame.previousChain))
    frameEnds.append(frame.end)
    report.head = ChainHead(sequence: frame.sequence, hash: next)
    chain = next
  }

  /// The frame at `offset`, if its length is possible, it lies within the file and it authenticates.
  private func open(
    _ source: inout some JournalBytes, at offset: Int, key: borrowing SecretBytes
  ) throws(VaultError) -> OpenedFrame? {
    guard source.endOffset - offset >= JournalFormat.lengthByteCount + JournalFormat.sequenceByteCount else {
      return nil
    }
    let length = try Self.lengthField(&source, at: offset)
    guard JournalFormat.isPossibleLength(length, .v2), source.endOffset - offset - 4 >= length else { return nil }
    let end = offset + 4 + length
    let vaultId = self.vaultId
    let opened: (UInt64, [UInt8])? = try source.withBytes(in: (offset + 4)..<end) { body in
      let sequence = JournalFormat.bigEndian(body, count: JournalFormat.sequenceByteCount)
      let nonceStart = JournalFormat.sequenceByteCount
      let cipherStart = nonceStart + AEAD.nonceByteCount
      guard
        let plaintext = try? AEAD.open(
          UnsafeRawBufferPointer(rebasing: body[cipherStart...]),
          nonce: UnsafeRawBufferPointer(rebasing: body[nonceStart..<cipherStart]),
          associatedData: JournalFormat.associatedDataV2(vaultId: vaultId, sequence: sequence), key: key)
      else { return nil }
      return (sequence, plaintext)
    }
    guard let (sequence, plaintext) = opened, sequence >= 1 else { return nil }
    let previousChain = Array(plaintext[..<JournalFormat.chainByteCount])
    let record = try? Padding.unpad(Array(plaintext[JournalFormat.chainByteCount...]))
    return OpenedFrame(
      sequence: sequence, previousChain: previousChain, record: record, start: offset, end: end)
  }

  /// The first frame after `offset` that authenticates and claims a plausible sequence number, if any.
  private func scan(
    _ source: inout some JournalBytes, after offset: Int, expected: UInt64, key: borrowing SecretBytes
  ) throws(VaultError) -> OpenedFrame? {
    let minimum = JournalFormat.lengthByteCount + JournalFormat.lengthRange(.v2).lowerBound
    var candidate = offset + 1
    while source.endOffset - candidate >= minimum {
      let header = JournalFormat.lengthByteCount + JournalFormat.sequenceByteCount
      let (length, sequence) = try source.withBytes(in: candidate..<(candidate + header)) { bytes in
        (
          Int(JournalFormat.bigEndian(bytes, count: 4)),
          JournalFormat.bigEndian(UnsafeRawBufferPointer(rebasing: bytes[4...]), count: 8)
        )
      }
      if JournalFormat.isPossibleLength(length, .v2), sequence >= expected,
        sequence - expected < Self.scanSequenceWindow, let frame = try open(&source, at: candidate, key: key)
      {
        return frame
      }
      candidate += 1
    }
    return nil
  }
}
