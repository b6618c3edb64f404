import EvidenceVault
import Foundation

/// Everything the dossier shows, in the order it shows it, already chosen and numbered: the renderers only lay
/// it out. Times are instants with the time zone to show them in; texts are exactly as stored.
public struct DossierModel: Sendable, Equatable {
  public enum Language: String, Sendable, CaseIterable { case sv, en }

  public struct Moment: Sendable, Equatable {
    public var start: Date
    public var end: Date?
    public var precision: TimePrecision
    public var approximate: Bool
    public var timeZone: TimeZone
  }

  public struct PersonRef: Sendable, Equatable {
    public var name: String
    /// PersonRole raw value: perpetrator, witness, other.
    public var role: String
  }

  public struct Incident: Sendable, Equatable {
    /// The journal's entry number (#12).
    public var number: Int
    public var happened: Moment
    /// When it was first written down.
    public var writtenDown: Date
    /// When the current version was written, if it was amended.
    public var amendedAt: Date?
    public var title: String
    public var place: String?
    /// IncidentCategory raw values.
    public var categories: [String]
    public var people: [PersonRef]
    public var narrative: String
    public var injuries: String?
    /// "demanded 2500 SEK" style parts: (kind raw value, amount, currency).
    public var amounts: [Amount]
    public var policeReference: String?
    /// Message numbers (M3) linked to it.
    public var messageNumbers: [Int]
    /// Exhibit numbers in the dossier (Bilaga 1 / Exhibit 1) of its files.
    public var exhibitNumbers: [Int]
    /// Earlier versions, oldest first, for the amendment appendix.
    public var earlierVersions: [EarlierVersion]
    /// When it was noted, for an incident that came in as a quick note (written without the passphrase).
    public var quickNoteAt: Date? = nil
  }

  public struct Amount: Sendable, Equatable {
    public var kind: String
    public var amount: String
    public var currency: String
  }

  public struct EarlierVersion: Sendable, Equatable {
    public var writtenAt: Date
    public var title: String
    public var narrative: String
  }

  public struct Person: Sendable, Equatable {
    public var name: String
    public var aliases: [String]
    public var phones: [String]
    public var emails: [String]
    /// Handles on apps: "@marko" on Telegram.
    public var handles: [String] = []
    public var relation: String?
    public var incidentNumbers: [Int]
    public var messageNumbers: [Int]
  }

  public struct MessageItem: Sendable, Equatable {
    /// The dossier's message number (M1…), in the order they were sent.
    public var number: Int
    /// Message.Channel raw value.
    public var channel: String
    /// Message.Direction raw value.
    public var direction: String
    /// "Marko (+46701234567)".
    public var from: String?
    public var to: [String]
    public var sentAt: Date?
    public var timeAmbiguous: Bool
    public var subject: String?
    /// The exact text; never reflowed.
    public var text: String
    public var exhibitNumbers: [Int]
    /// "sms-20261128.xml, <sms> 34", or "typed in by hand".
    public var provenance: String
    /// The incident it belongs to, if any.
    public var incidentNumber: Int?
  }

  public struct Exhibit: Sendable, Equatable {
    /// Bilaga 1 / Exhibit 1.
    public var number: Int
    /// The file's name inside the package: "exhibits/01-injury.jpg".
    public var fileName: String
    public var originalName: String
    public var mediaType: String
    public var size: Int64
    public var sha256: String
    /// "2026-11-28 22:30:15 +01:00, 59.329300, 18.068600, Apple iPhone 12", if the file said.
    public var capture: String?
    public var addedAt: Date
  }

  public struct Integrity: Sendable, Equatable {
    public var headSequence: UInt64
    public var headHash: String
    public var signature: String
    public var signingKeyFingerprint: String
    /// Records in the vault that this dossier leaves out (only their leaves are in records.json).
    public var withheldRecordCount: Int
    /// Problems found (salvage mode); empty when the vault verifies.
    public var problems: [String]
    /// Records of the journal, up to the head, that could not be read (damaged or lost), as runs of numbers: nothing
    /// in this dossier comes from them. Empty when the vault verifies.
    public var missingRecords: [ClosedRange<UInt64>] = []
    /// Records whose device time is earlier than the record before them.
    public var clockNotices: [String]
    /// Anchor codes made, oldest first.
    public var anchors: [AnchorItem]
    /// Records (other than anchors) written after the last anchor's head: all of them when there is none.
    public var unanchoredRecords: Int
  }

  /// A wrong passphrase given to the journal (an `access` record), for the section on failed attempts.
  public struct AccessItem: Sendable, Equatable {
    public var failedAt: Date
    /// The command that asked for the passphrase, as recorded (escaped for a terminal).
    public var command: String
    /// True when it was typed at the terminal, false when it came on a file descriptor.
    public var viaTerminal: Bool
  }

  public struct AnchorItem: Sendable, Equatable {
    /// The code covers the journal up to this record.
    public var sequence: UInt64
    public var code: String
    public var madeAt: Date
  }

  public var language: Language
  /// The person's name, only if they gave it with --name.
  public var personName: String?
  /// The period the incidents and messages cover.
  public var periodStart: Date?
  public var periodEnd: Date?
  public var producedAt: Date
  /// The time zone dates are shown in.
  public var timeZone: TimeZone
  public var incidents: [Incident]
  public var people: [Person]
  public var messages: [MessageItem]
  public var exhibits: [Exhibit]
  public var integrity: Integrity
  public var includeHelpPage: Bool
  /// The failed attempts to open the journal, oldest first, when the export includes them (`--include-access`);
  /// nil when it does not (the section is left out).
  public var accessAttempts: [AccessItem]? = nil

  /// The message numbered `number` (M3): found by position, as the builder numbers them 1, 2, 3… in order, so that
  /// a dossier of tens of thousands of messages is not searched once for each.
  public func message(number: Int) -> MessageItem? {
    if number >= 1, number <= messages.count, messages[number - 1].number == number { return messages[number - 1] }
    return messages.first { $0.number == number }
  }

  /// The exhibit numbered `number` (Bilaga 3), found by position like `message(number:)`.
  public func exhibit(number: Int) -> Exhibit? {
    if number >= 1, number <= exhibits.count, exhibits[number - 1].number == number { return exhibits[number - 1] }
    return exhibits.first { $0.number == number }
  }
}
