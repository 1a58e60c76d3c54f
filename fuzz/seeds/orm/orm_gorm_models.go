// Package models holds GORM models (fixture for the GORM extractor).
package models

import (
	"time"

	"gorm.io/gorm"
)

type Status string

type Audit struct {
	CreatedBy string `gorm:"size:64"`
	UpdatedAt time.Time
}

type User struct {
	gorm.Model
	Email    string  `gorm:"type:varchar(255);uniqueIndex;not null"`
	Name     string  `gorm:"size:100"`
	Age      int32   `gorm:"default:18"`
	Balance  float64 `gorm:"precision:12;scale:2"`
	Nickname *string `gorm:"default:anon"`
	Status   Status  `gorm:"index:idx_user_status_team"`
	TeamID   *uint   `gorm:"index:idx_user_status_team"`
	Team     Team    `gorm:"constraint:OnDelete:SET NULL"`
	Posts    []Post
	Secret   string `gorm:"-"`
}

type Team struct {
	ID   uint   `gorm:"primaryKey"`
	Name string `gorm:"unique;not null"`
}

func (Team) TableName() string { return "app_teams" }

type Post struct {
	ID        int64
	UserID    uint
	Title     string `gorm:"column:headline;size:200;not null"`
	Body      []byte
	Published bool `gorm:"default:false"`
	Audit
	Tags []string
}

type Category struct {
	Code  string `gorm:"primaryKey;size:20"`
	Label string
}

func (c *Category) TableName() string { return prefix + "categories" }
