//! The team's work on conversations: who is on the team, who handles which conversation, open
//! and closed, the counts beside each view, and internal notes.

use crate::domain::{ConversationState, Note};
use crate::error::Result;
use crate::events::CoreEvent;
use crate::store::conversations::{self, ViewCounts};
use crate::store::{notes, team};
use crate::team::{MemberInput, TeamMember};
use crate::Services;

impl Services {
    /// Everyone on the team, those who left included, by name.
    pub async fn team(&self) -> Result<Vec<TeamMember>> {
        let mut conn = self.store.pool().acquire().await?;
        team::list(&mut conn).await
    }

    /// One member by uid, if there is one.
    pub async fn member(&self, uid: &str) -> Result<Option<TeamMember>> {
        let mut conn = self.store.pool().acquire().await?;
        team::by_uid(&mut conn, uid).await
    }

    /// Adds or changes a member.
    pub async fn save_member(&self, input: &MemberInput) -> Result<TeamMember> {
        let mut tx = self.store.write().await?;
        let member = team::save(&mut tx, input).await?;
        tx.commit().await?;
        Ok(member)
    }

    /// Adds the members with fixed uids that are not there yet (the demo's team).
    pub async fn ensure_members(&self, members: &[(&str, MemberInput)]) -> Result<()> {
        let mut tx = self.store.write().await?;
        for (uid, input) in members {
            team::ensure(&mut tx, uid, input).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Takes a member off the team; their conversations become unassigned.
    pub async fn remove_member(&self, uid: &str) -> Result<()> {
        let mut tx = self.store.write().await?;
        team::remove(&mut tx, uid).await?;
        tx.commit().await?;
        self.events.emit(CoreEvent::TeamChanged);
        Ok(())
    }

    /// Gives a conversation to a member (by local id), or to nobody.
    pub async fn assign(&self, conversation_id: i64, member_id: Option<i64>) -> Result<()> {
        let mut tx = self.store.write().await?;
        if let Some(id) = member_id {
            // A member who left can't take new work.
            let member = team::get(&mut tx, id).await?;
            if member.removed {
                return Err(crate::CoreError::UnknownMember(member.uid));
            }
        }
        conversations::assign(&mut tx, conversation_id, member_id).await?;
        tx.commit().await?;
        self.changed(conversation_id);
        Ok(())
    }

    /// Opens or closes a conversation.
    pub async fn set_state(&self, conversation_id: i64, state: ConversationState) -> Result<()> {
        let mut tx = self.store.write().await?;
        conversations::set_state(&mut tx, conversation_id, state).await?;
        tx.commit().await?;
        self.changed(conversation_id);
        Ok(())
    }

    /// Adds an internal note to a conversation; it is never sent.
    pub async fn add_note(
        &self,
        conversation_id: i64,
        author_id: Option<i64>,
        body: &str,
    ) -> Result<Note> {
        let mut tx = self.store.write().await?;
        let note = notes::add(&mut tx, conversation_id, author_id, body).await?;
        tx.commit().await?;
        self.changed(conversation_id);
        Ok(note)
    }

    /// The counts beside each view, for one sender number or all.
    pub async fn view_counts(&self, me: Option<i64>, sender_id: Option<i64>) -> Result<ViewCounts> {
        conversations::counts(self.store.pool(), me, sender_id).await
    }

    /// The next failed message nobody has made good yet after `after` (a message id), going
    /// round to the first one: `(conversation, message)`, or `None` when there is none.
    pub async fn next_failed(&self, after: Option<i64>) -> Result<Option<(i64, i64)>> {
        conversations::next_failed(self.store.pool(), after.unwrap_or(0)).await
    }

    /// The local id of one of our sender numbers, if it is one.
    pub async fn sender_id(&self, number: &str) -> Result<Option<i64>> {
        let mut conn = self.store.pool().acquire().await?;
        crate::store::senders::find_id(&mut conn, number).await
    }

    fn changed(&self, conversation_id: i64) {
        self.events
            .emit(CoreEvent::ConversationChanged { conversation_id });
    }
}
