package sqldb

import "context"

// DeleteUserSessions ends every session of a user, in all organisations.
func (c *Conn) DeleteUserSessions(ctx context.Context, userID string) (int64, error) {
	res, err := c.q.ExecContext(ctx, `/* Conn.DeleteUserSessions */ DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, translate(err)
	}
	return res.RowsAffected()
}
