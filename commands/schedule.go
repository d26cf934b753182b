package commands

import (
	"errors"
	"time"

	"github.com/wijkbv/wijkbot/schedule"
)

// ParseSchedule parses a check-in or digest schedule (see schedule.Parse)
// and turns a refusal into EINVALID with a message in l that names what is
// wrong and what is allowed.
func ParseSchedule(spec string, loc *time.Location, l Lang) (*schedule.Schedule, error) {
	s, err := schedule.Parse(spec, loc)
	if err != nil {
		return nil, scheduleError(l, err)
	}
	return s, nil
}

// scheduleReasons words each schedule.Reason; FieldCount, which carries a
// number, is worded in scheduleError.
var scheduleReasons = map[schedule.Reason]MsgID{
	schedule.Unreadable:        MsgScheduleUnreadable,
	schedule.Empty:             MsgScheduleEmpty,
	schedule.MissingSpec:       MsgScheduleMissingSpec,
	schedule.UnknownZone:       MsgScheduleUnknownZone,
	schedule.UnknownDescriptor: MsgScheduleUnknownDescriptor,
	schedule.BadDuration:       MsgScheduleBadDuration,
	schedule.EveryTooShort:     MsgScheduleEveryTooShort,
	schedule.OutOfRange:        MsgScheduleOutOfRange,
	schedule.BadField:          MsgScheduleBadField,
	schedule.NeverFires:        MsgScheduleNeverFires,
}

// scheduleError is the user's message for a schedule.Error.
func scheduleError(l Lang, err error) error {
	var e *schedule.Error
	if !errors.As(err, &e) {
		return err
	}
	why := l.Msg(MsgScheduleUnreadable)
	if e.Reason == schedule.FieldCount {
		why = l.Msg(MsgScheduleFieldCount, e.Fields)
	} else if id, ok := scheduleReasons[e.Reason]; ok {
		why = l.Msg(id)
	}
	return Errorf(EINVALID, "%s", l.Msg(MsgScheduleInvalid, clip(e.Spec, 60), why))
}
