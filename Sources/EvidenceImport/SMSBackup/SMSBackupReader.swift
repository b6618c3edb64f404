import Foundation

/// Reads Android "SMS Backup & Restore" exports: the messages file (<smses>) and the calls file (<calls>).
public struct SMSBackupReader {
  private let url: URL
  /// What the export may make the reader hold.
  var limits = ImportLimits.standard

  public init(url: URL) {
    self.url = url
  }

  /// Calls `handler` for each message (or call) in file order; streams the file in constant memory.
  /// Throws ImportError (file name, position like "<sms> 34" or "<mms> 2", a sentence) for malformed input, and
  /// rethrows the handler's errors.
  public func read(progress: ImportProgress = { _, _ in }, _ handler: (ImportedMessage) throws -> Void) throws {
    let file = url.lastPathComponent
    let handle: FileHandle
    do {
      handle = try FileHandle(forReadingFrom: url)
    } catch {
      throw ImportError(file: file, message: "The file cannot be opened: \(error.localizedDescription).")
    }
    defer { try? handle.close() }
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
    try withoutActuallyEscaping(progress) { progress in
      let scanner = XMLByteScanner(handle: handle, total: size, progress: progress, limits: limits) {
        element, attribute in
        element == "part" && attribute == "data"
      }
      var session = SMSBackupSession(file: file, scanner: scanner)
      try session.run(handler)
    }
  }
}

/// One pass over one export: follows the scanner's tags and hands each finished message to the handler.
private struct SMSBackupSession {
  private enum Root {
    case messages, calls
  }

  let file: String
  let scanner: XMLByteScanner
  private var root: Root?
  private var rootName = ""
  private var counts: [String: Int] = [:]
  private var lastPosition: String?
  private var mms: MMSBuilder?

  init(file: String, scanner: XMLByteScanner) {
    self.file = file
    self.scanner = scanner
  }

  mutating func run(_ handler: (ImportedMessage) throws -> Void) throws {
    do {
      while let token = try scanner.next() {
        try take(token, handler)
      }
    } catch let error as XMLScanError {
      throw importError(for: error)
    }
    if root == nil {
      if scanner.sawContent {
        throw ImportError(
          file: file, message: "This is not an SMS Backup & Restore export: it has no <smses> or <calls> element."
        )
      }
      throw ImportError(file: file, message: "The file is empty: there is nothing in it to import. Export it again.")
    }
  }

  private func isMessage(_ name: String) -> Bool {
    switch root {
    case .messages: name == "sms" || name == "mms"
    case .calls: name == "call"
    case nil: false
    }
  }

  private mutating func take(_ token: XMLToken, _ handler: (ImportedMessage) throws -> Void) throws {
    let open = scanner.openElements
    switch token {
    case .start(let name, let attributes, let line):
      if open.count == 1 {
        switch name {
        case "smses": root = .messages
        case "calls": root = .calls
        default:
          throw ImportError(
            file: file,
            message: "This is not an SMS Backup & Restore export: it starts with <\(name)>, not <smses> or <calls>."
          )
        }
        rootName = name
      } else if open.count == 2, isMessage(name) {
        let number = counts[name, default: 0] + 1
        counts[name] = number
        let position = "<\(name)> \(number)"
        lastPosition = position
        var fields = SMSBackupFields(file: file, position: position, attributes: attributes)
        switch name {
        case "sms": try handler(try SMSBackupMapping.sms(&fields, line: line))
        case "call": try handler(try SMSBackupMapping.call(&fields, line: line))
        default: mms = try MMSBuilder(fields: fields, line: line)
        }
      } else if open.count > 2, mms != nil {
        let parent = open[open.count - 2]
        if name == "part", parent == "parts" { try mms?.addPart(attributes) }
        if name == "addr", parent == "addrs" { try mms?.addAddress(attributes) }
      }
    case .end(let name, _):
      if open.count == 1, name == "mms", var builder = mms {
        mms = nil
        try handler(try builder.finish())
      }
    }
  }

  /// The message being read when the scanner stopped, if any ("<sms> 12").
  private func currentPosition() -> String? {
    let open = scanner.openElements
    if open.count == 1, let partial = scanner.partialTag, isMessage(partial) {
      return "<\(partial)> \(counts[partial, default: 0] + 1)"
    }
    if open.count >= 2, isMessage(open[1]) {
      return "<\(open[1])> \(counts[open[1], default: 0])"
    }
    return nil
  }

  private func importError(for error: XMLScanError) -> ImportError {
    let position = currentPosition()
    switch error {
    case .endOfFile:
      if let position {
        return ImportError(
          file: file, position: position,
          message: "The file ends in the middle of \(position): it was cut off. Export it again."
        )
      }
      if root == nil {
        return ImportError(
          file: file, message: "The file ends before its first message: it was cut off. Export it again."
        )
      }
      let after = lastPosition.map { "after \($0)" } ?? "before its first message"
      return ImportError(
        file: file, position: lastPosition,
        message: "The file ends \(after), before </\(rootName)>: it was cut off. Export it again."
      )
    case .malformed(let sentence):
      if root == nil {
        return ImportError(
          file: file, position: "line \(scanner.line)",
          message: "This is not an SMS Backup & Restore export. \(sentence)"
        )
      }
      return ImportError(file: file, position: position ?? "line \(scanner.line)", message: sentence)
    }
  }
}
