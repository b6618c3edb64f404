import EvidenceImport

/// The Telegram Desktop reader over one result.json: the JSON, chats.list, messages, text entities, calls and the
/// media paths (which must stay inside the export folder; the folder here holds nothing else).
enum TelegramHarness {
  static func run(_ bytes: UnsafeRawBufferPointer) {
    let url = FuzzInput.file(bytes, named: "result.json")
    try? TelegramReader(url: url).read { _ in }
  }
}
